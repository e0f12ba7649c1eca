"""Forms of the settlement pages and the sales reports: they parse input; the services decide."""

import datetime as dt
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ocophub.catalogue.models import Producer
from ocophub.centers.models import Center
from ocophub.common.dates import local_today
from ocophub.common.forms import date_field
from ocophub.inventory.models import Agreement

from .models import DISPUTE_MAX_LENGTH, BankAccount, SettlementState


def last_month(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last calendar month before today: the default period of a new settlement."""
    first = (today or local_today()).replace(day=1)
    end = first - dt.timedelta(days=1)
    return end.replace(day=1), end


def this_month(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """From the first of this month to today: the default period of the sales reports."""
    today = today or local_today()
    return today.replace(day=1), today


def _model_choice(form: forms.Form, name: str) -> "forms.ModelChoiceField[Any]":
    """The form's field `name`, declared as a ModelChoiceField."""
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


class SettlementFilterForm(forms.Form):
    """Filters of the settlement list; the choices are what the user may see."""

    center = forms.ModelChoiceField(Center.objects.none(), required=False, label=_("Center"))
    producer = forms.ModelChoiceField(Producer.objects.none(), required=False, label=_("Producer"))
    state = forms.ChoiceField(required=False, label=_("State"))

    def __init__(
        self, *args: Any, centers: QuerySet[Center], producers: QuerySet[Producer], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "center").queryset = centers
        _model_choice(self, "center").empty_label = _("All centers")
        _model_choice(self, "producer").queryset = producers
        _model_choice(self, "producer").empty_label = _("All producers")
        cast(forms.ChoiceField, self.fields["state"]).choices = [
            ("", _("All states")),
            *SettlementState.choices,
        ]


class SettlementForm(forms.Form):
    """A center, a producer with an agreement at it, and a period (default: last calendar month)."""

    center = forms.ModelChoiceField(Center.objects.none(), label=_("Center"))
    producer = forms.ModelChoiceField(Producer.objects.none(), label=_("Producer"))
    period_start = date_field(_("From"), required=True)
    period_end = date_field(_("To"), required=True)

    def __init__(self, *args: Any, centers: QuerySet[Center], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        start, end = last_month()
        self.fields["period_start"].initial = start
        self.fields["period_end"].initial = end
        _model_choice(self, "center").queryset = centers
        _model_choice(self, "producer").queryset = (
            Producer.objects.filter(pk__in=Agreement.objects.filter(center__in=centers).values("producer_id"))
            .order_by("folded_name", "pk")
            .distinct()
        )

    def clean(self) -> dict[str, Any]:
        """The producer must have a consignment agreement with the chosen center; the period must not
        end before it starts (whether it is over, and whether it overlaps, the service decides)."""
        data = super().clean()
        assert data is not None, "Form.clean returns cleaned_data"
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        center, producer = data.get("center"), data.get("producer")
        if center and producer and not Agreement.objects.filter(center=center, producer=producer).exists():
            self.add_error("producer", _("This producer has no consignment agreement with the center."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with the statement"),
        max_length=DISPUTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The center's managers read it and answer you."),
    )


class AnswerForm(forms.Form):
    CONFIRM, CANCEL = "confirm", "cancel"

    reply = forms.CharField(
        label=_("Reply to the producer"),
        max_length=DISPUTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    outcome = forms.ChoiceField(
        label=_("Answer"),
        widget=forms.RadioSelect,
        choices=[
            (CONFIRM, _("Confirm the statement: the producer is asked to accept it again")),
            (CANCEL, _("Cancel the statement, so that a corrected one can be issued")),
        ],
    )


class BankAccountForm(forms.ModelForm):
    """The model's checks: a six-digit NAPAS BIN and an account number of 1–19 letters or digits."""

    class Meta:
        model = BankAccount
        fields = ["bank_name", "bank_bin", "account_number", "holder", "active"]
        help_texts = {
            "bank_bin": _("The bank's six-digit NAPAS code, e.g. 970436 for Vietcombank."),
            "holder": _("As the bank writes it, e.g. HTX GOM MEN LAM."),
            "active": _("Untick to stop using this account: no transfer code will show it."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bank_bin"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["account_number"].widget.attrs.update({"autocomplete": "off"})


class PayForm(forms.Form):
    paid_on = date_field(_("Paid on"), required=True)
    reference = forms.CharField(label=_("Transfer reference"), max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = local_today()


class ReportForm(forms.Form):
    """The report's period (default: this month so far) and an optional center among the user's."""

    start = date_field(_("From"))
    end = date_field(_("To"))
    center = forms.ModelChoiceField(Center.objects.none(), required=False, label=_("Center"))

    MAX_DAYS = 366

    def __init__(self, *args: Any, centers: QuerySet[Center], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "center").queryset = centers
        _model_choice(self, "center").empty_label = _("All my centers")

    def clean(self) -> dict[str, Any]:
        """A period of at most a year that does not end before it starts."""
        data = super().clean()
        assert data is not None, "Form.clean returns cleaned_data"
        default_start, default_end = this_month()
        start = data.get("start") or default_start
        end = data.get("end") or default_end
        if end < start:
            self.add_error("end", _("The period ends before it starts."))
        elif (end - start).days >= self.MAX_DAYS:
            self.add_error("end", _("Choose a period of at most one year."))
        data["start"], data["end"] = start, end
        return data


class MonthlyReportForm(forms.Form):
    """The monthly report's months (default: the last twelve, this one included) and an optional center.

    Any day of a month stands for the month: the period runs from the first of start's month to the
    last of end's."""

    start = date_field(_("From"))
    end = date_field(_("To"))
    center = forms.ModelChoiceField(Center.objects.none(), required=False, label=_("Center"))

    MAX_MONTHS = 24

    def __init__(self, *args: Any, centers: QuerySet[Center], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "center").queryset = centers
        _model_choice(self, "center").empty_label = _("All my centers")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None, "Form.clean returns cleaned_data"
        today = local_today()
        end = data.get("end") or today
        start = data.get("start") or (end.replace(day=1) - dt.timedelta(days=330)).replace(day=1)
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months < 1:
            self.add_error("end", _("The period ends before it starts."))
        elif months > self.MAX_MONTHS:
            self.add_error("end", _("Choose a period of at most 24 months."))
        data["start"], data["end"] = start.replace(day=1), end
        return data
