"""Work pages of producers and centers (/lam-viec/): a producer's sales to date between settlements,
and the bank accounts of a center and of a producer.

Each view parses, checks the permission predicate, calls one service and renders. A producer or a
center outside the user's scope is 404.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ocophub.accounts import permissions
from ocophub.catalogue.models import Producer
from ocophub.centers.models import Center
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError

from .. import exports, selectors, services, vietqr
from ..forms_settlements import BankAccountForm
from ..models import BankAccount


def producer_sales(request: HttpRequest, slug: str) -> HttpResponse:
    """What each center sold of the producer's goods since its last settlement there, and the net due."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    producer = Producer.objects.filter(slug=slug).first()
    if producer is None or not permissions.can_view_producer_goods(request.user, producer):
        raise Http404
    centers = selectors.producer_sales_to_date(producer)
    for summary in centers:
        summary.agreement_percent = exports.percent(summary.agreement_rate)
    return render(
        request,
        "sales/work/producer_sales.html",
        {
            "producer": producer,
            "centers": centers,
            "today": local_today(),
            "can_manage_account": permissions.can_manage_producer_bank_account(request.user, producer),
        },
    )


def _account_of(**owner: Any) -> BankAccount | None:
    return BankAccount.objects.filter(**owner).first()


def _qr(account: BankAccount | None) -> str | None:
    """A static VietQR code of the account (no amount), only for an account in use and in a valid shape."""
    if account is None or not account.active:
        return None
    try:
        return vietqr.svg(vietqr.payload(bank_bin=account.bank_bin, account=account.account_number))
    except ValueError:
        return None


def _bank_account_page(
    request: HttpRequest, *, owner: dict[str, Any], name: str, back: tuple[str, str] | None
) -> HttpResponse:
    account = _account_of(**owner)
    status = 200
    if request.method == "POST":
        form = BankAccountForm(request.POST, instance=_account_of(**owner) or BankAccount(**owner))
        if form.is_valid():
            try:
                if account is None:
                    services.bank_account_create(actor=request.user, **owner, **form.cleaned_data)
                else:
                    services.bank_account_update(actor=request.user, account=account, **form.cleaned_data)
            except DomainError as error:
                for field, message in error.fields.items():
                    form.add_error(field if field in form.fields else None, message)
                if not error.fields:
                    form.add_error(None, error.message)
                status = error.status if 400 <= error.status < 500 else 400
            else:
                messages.success(request, _("The bank account is saved."))
                return redirect(request.path)
        else:
            status = 400
    else:
        form = BankAccountForm(instance=account, initial=None if account else {"active": True})
    return render(
        request,
        "sales/work/bank_account.html",
        {"form": form, "account": account, "owner_name": name, "qr": _qr(account), "back": back},
        status=status,
    )


def center_bank_account(request: HttpRequest, slug: str) -> HttpResponse:
    """The center's account, where customers' transfers go: its managers record, edit or deactivate it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    center = Center.objects.filter(slug=slug).first()
    if center is None or not permissions.can_manage_center_bank_account(request.user, center):
        raise Http404
    return _bank_account_page(request, owner={"center": center}, name=center.name, back=None)


def producer_bank_account(request: HttpRequest, slug: str) -> HttpResponse:
    """The producer's account, where its payouts go: its members record, edit or deactivate it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    producer = Producer.objects.filter(slug=slug).first()
    if producer is None or not permissions.can_manage_producer_bank_account(request.user, producer):
        raise Http404
    back = (_("Sales to date"), reverse("sales_work:producer_sales", args=[producer.slug]))
    return _bank_account_page(request, owner={"producer": producer}, name=producer.name, back=back)
