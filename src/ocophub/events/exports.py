"""A session's attendee list as an Excel file: one row per party, money as whole đồng, dates as
dd/mm/yyyy (`common.xlsx` keeps text that looks like a formula as text)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.common.xlsx import save, sheet, workbook

from .models import Session
from .selectors_center import attendees


def attendees_rows(session: Session) -> list[list[Any]]:
    rows = []
    for row in attendees(session):
        check_in = getattr(row, "check_in", None)
        rows.append(
            [
                row.code,
                row.name,
                row.email,
                row.phone,
                row.party_size,
                row.get_state_display(),
                row.get_payment_method_display() if row.payment_method else _("free"),
                row.amount,
                row.paid,  # type: ignore[attr-defined]
                row.refunded,  # type: ignore[attr-defined]
                f"{timezone.localtime(check_in.at):%d/%m/%Y %H:%M}" if check_in else "",
                check_in.heads if check_in else "",
            ]
        )
    return rows


def attendees_workbook(session: Session) -> bytes:
    wb = workbook()
    sheet(
        wb.active,
        _("Attendees"),
        [
            _("Ticket code"),
            _("Contact name"),
            _("E-mail"),
            _("Phone"),
            _("People"),
            _("State"),
            _("Payment"),
            _("Amount"),
            _("Paid"),
            _("Refunded"),
            _("Checked in at"),
            _("People checked in"),
        ],
        attendees_rows(session),
        money_columns={8, 9, 10},
    )
    return save(wb)
