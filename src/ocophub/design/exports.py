"""The studio board as an Excel file: the period's requests, a summary, the designers' workload and, for
the city, what each funding commitment paid for.

Money is written as whole đồng with the đồng number format and dates as dd/mm/yyyy (`common.xlsx`
keeps text that looks like a formula as text). The figures come from the board's selectors.
"""

from typing import Any

from django.utils.translation import gettext as _

from ocophub.centers.models import Center
from ocophub.common.dates import format_date
from ocophub.common.xlsx import save, sheet, workbook

from .selectors_board import Board, export_rows, source_label


def _requests(board: Board) -> list[list[Any]]:
    rows = []
    for item in export_rows(board.scope).iterator(chunk_size=500):
        rows.append(
            [
                item.number,
                item.title,
                item.get_kind_display(),
                item.producer.name,
                item.center.name,
                item.get_state_display(),
                str(item.designer) if item.designer_id else "",
                format_date(item.submitted_at),
                format_date(item.due_on),
                format_date(item.delivered_at),
                item.cost,
                item.subsidy_amount,
                item.producer_amount,
                source_label(item.commitment.source if item.commitment is not None else None),
                _("Yes") if item.is_overdue(board.today) else _("No"),
            ]
        )
    return rows


def _summary(board: Board, center: Center | None) -> list[list[Any]]:
    scope = board.scope
    rows: list[list[Any]] = [
        [_("Center"), center.name if center else _("All centers in scope"), None, None, None],
        [_("From"), format_date(scope.start), None, None, None],
        [_("To"), format_date(scope.end), None, None, None],
        [_("Requests submitted in the period"), board.submitted_total, None, None, None],
        [_("Open now"), board.open_total, None, None, None],
        [_("Overdue now"), board.overdue_total, None, None, None],
        [_("Awaiting acceptance"), board.awaiting_total, None, None, None],
        [_("Delivered in the period"), board.delivered_total, None, None, None],
        [
            _("Median days from submission to delivery"),
            board.median_days if board.median_days is not None else "",
            None,
            None,
            None,
        ],
    ]
    rows += [[_("State: %(state)s") % {"state": r.label}, r.count, None, None, None] for r in board.by_state]
    rows += [
        [_("Paid by: %(source)s") % {"source": r.label}, r.requests, r.cost, r.subsidy, r.producer_share]
        for r in board.by_source
    ]
    rows.append([_("Total cost"), None, board.cost_total, board.subsidy_total, board.producer_total])
    return rows


def board_workbook(board: Board, *, center: Center | None) -> bytes:
    wb = workbook()
    sheet(
        wb.active,
        _("Requests"),
        [
            _("Number"),
            _("Title"),
            _("Kind"),
            _("Producer"),
            _("Center"),
            _("State"),
            _("Designer"),
            _("Submitted"),
            _("Due"),
            _("Delivered on"),
            _("Cost (₫)"),
            _("Subsidy (₫)"),
            _("Producer's share (₫)"),
            _("Funding source"),
            _("Overdue"),
        ],
        _requests(board),
        money_columns={11, 12, 13},
    )
    sheet(
        wb.create_sheet(),
        _("Summary"),
        [_("Figure"), _("Number / value"), _("Cost (₫)"), _("Subsidy (₫)"), _("Producer's share (₫)")],
        _summary(board, center),
        money_columns={3, 4, 5},
    )
    sheet(
        wb.create_sheet(),
        _("Designers"),
        [_("Designer"), _("Open"), _("Overdue"), _("Delivered in the period")],
        [[r.name, r.open, r.overdue, r.delivered] for r in board.workload],
    )
    sheet(
        wb.create_sheet(),
        _("Producers"),
        [
            _("Producer"),
            _("Requests"),
            _("Delivered"),
            _("Cost (₫)"),
            _("Subsidy (₫)"),
            _("Producer's share (₫)"),
        ],
        [[r.label, r.requests, r.delivered, r.cost, r.subsidy, r.producer_share] for r in board.by_producer],
        money_columns={4, 5, 6},
    )
    if board.by_commitment is not None:
        sheet(
            wb.create_sheet(),
            _("Commitments"),
            [
                _("Center"),
                _("Document"),
                _("Source"),
                _("Funder"),
                _("Committed (₫)"),
                _("Requests in the period"),
                _("Delivered"),
                _("Subsidies in the period (₫)"),
                _("Drawn so far (₫)"),
                _("Remaining (₫)"),
            ],
            [
                [
                    r.center,
                    r.document,
                    r.source,
                    r.funder,
                    r.amount,
                    r.requests,
                    r.delivered,
                    r.subsidy,
                    r.drawn,
                    r.remaining,
                ]
                for r in board.by_commitment
            ],
            money_columns={5, 8, 9, 10},
        )
    return save(wb)
