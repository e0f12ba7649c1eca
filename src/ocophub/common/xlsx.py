"""Excel sheets with a header row, money as whole đồng and no formula injection from user text.

openpyxl (8 MB in memory) is imported when a file is made, not by every app server worker that
imports a view with an export: `workbook()` makes the workbook."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from io import BytesIO
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

MONEY_FORMAT = '#,##0" ₫"'
HEADER_COLOUR = "F4EFE6"


def workbook() -> Workbook:
    from openpyxl import Workbook

    return Workbook()


def sheet(
    ws: Worksheet,
    title: str,
    headers: list[str],
    rows: list[list[Any]],
    money_columns: AbstractSet[int] = frozenset(),
) -> None:
    """Fill `ws`: bold header, frozen first row, money columns (1-based) formatted, widths fitted."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.title = title
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_COLOUR)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            # text that looks like a formula stays text (no formula injection from names)
            if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@"):
                cell.data_type = "s"
    for column in money_columns:
        for (cell,) in ws.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = MONEY_FORMAT
    for index, header in enumerate(headers, start=1):
        width = max([len(str(header))] + [len(str(r[index - 1])) for r in rows if r[index - 1] is not None])
        ws.column_dimensions[get_column_letter(index)].width = min(max(10, width + 2), 60)
    ws.freeze_panes = "A2"


def save(wb: Workbook) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
