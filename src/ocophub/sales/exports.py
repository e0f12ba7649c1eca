"""Excel files of the sales app: a settlement statement and the sales report, with Vietnamese headers.

Money is written as whole đồng with a thousands format; text cells that look like formulas stay text
(`common.xlsx` does both).
"""

from decimal import Decimal
from typing import Any

from django.utils import timezone

from ocophub.common.money import round_vnd
from ocophub.common.xlsx import MONEY_FORMAT, save, sheet, workbook

from .models import PaymentMethod, ReturnLine, SaleLine, Settlement, SettlementState
from .reports import SalesReport
from .reports_monthly import MonthlyReport
from .services.settlements import Statement

STATE_VI: dict[str, str] = {
    SettlementState.ISSUED: "Đã phát hành, chờ chủ thể xác nhận",
    SettlementState.DISPUTED: "Chủ thể khiếu nại",
    SettlementState.ACCEPTED: "Chủ thể đã xác nhận",
    SettlementState.PAID: "Đã chi trả",
    SettlementState.CANCELLED: "Đã hủy",
}
METHOD_VI: dict[str, str] = {
    PaymentMethod.CASH: "Tiền mặt",
    PaymentMethod.TRANSFER: "Chuyển khoản (VietQR)",
    PaymentMethod.CARD: "Thẻ",
}
ROUNDING_VI = (
    "Hoa hồng theo từng tỷ lệ = (doanh thu − hàng trả lại) × tỷ lệ, làm tròn nửa lên đến đồng; "
    "tổng hoa hồng là tổng các tỷ lệ. Số phải trả = doanh thu − hàng trả lại − hoa hồng."
)


def percent(rate: Decimal) -> Decimal:
    """A commission rate as a percentage without trailing zeros: 0.1750 → 17.5, 0.2000 → 20."""
    value = rate * 100
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _percent(rate: Decimal) -> str:
    return f"{percent(rate):f}".replace(".", ",") + "%"


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def settlement_workbook(
    settlement: Settlement,
    statement: Statement,
    sale_lines: list[SaleLine],
    return_lines: list[ReturnLine],
) -> bytes:
    """Summary sheet (the statement and the commission per rate), the sale lines and the return lines."""
    wb = workbook()
    summary: list[list[Any]] = [
        ["Số bảng kê", f"QT {settlement.pk}", None],
        ["Chủ thể", settlement.producer.name, None],
        ["Trung tâm", settlement.center.name, None],
        ["Từ ngày", settlement.period_start.strftime("%d/%m/%Y"), None],
        ["Đến ngày", settlement.period_end.strftime("%d/%m/%Y"), None],
        ["Trạng thái", STATE_VI.get(settlement.state, settlement.state), None],
        ["Số lượng bán", settlement.units_sold, None],
        ["Số lượng trả lại", settlement.units_returned, None],
        ["Doanh thu", None, settlement.gross],
        ["Hàng trả lại", None, settlement.returns],
        ["Hoa hồng trung tâm", None, settlement.commission],
        ["Số tiền phải trả chủ thể", None, settlement.net],
    ]
    summary.append(["Quy tắc làm tròn", ROUNDING_VI, None])
    sheet(wb.active, "Tổng hợp", ["Mục", "Nội dung", "Số tiền (₫)"], summary, money_columns={3})
    rates = [
        [
            _percent(rate),
            row["gross"],
            row["returns"],
            row["gross"] - row["returns"],
            round_vnd((row["gross"] - row["returns"]) * rate),
        ]
        for rate, row in sorted(statement.by_rate.items())
    ]
    sheet(
        wb.create_sheet(),
        "Hoa hồng theo tỷ lệ",
        ["Tỷ lệ hoa hồng", "Doanh thu", "Hàng trả lại", "Doanh thu thuần", "Hoa hồng"],
        rates,
        money_columns={2, 3, 4, 5},
    )
    sheet(
        wb.create_sheet(),
        "Dòng bán",
        ["Ngày bán", "Số hóa đơn", "Sản phẩm", "Số lượng", "Đơn giá", "Thành tiền", "Tỷ lệ hoa hồng"],
        [
            [
                _local(line.sale.created_at),
                line.sale.number,
                line.product.name,
                line.quantity,
                line.unit_price,
                line.amount,
                _percent(line.commission_rate),
            ]
            for line in sale_lines
        ],
        money_columns={5, 6},
    )
    sheet(
        wb.create_sheet(),
        "Hàng trả lại",
        ["Ngày trả", "Số phiếu trả", "Số hóa đơn", "Sản phẩm", "Số lượng", "Thành tiền", "Tỷ lệ hoa hồng"],
        [
            [
                _local(line.ret.created_at),
                line.ret.number,
                line.ret.sale.number,
                line.sale_line.product.name,
                line.quantity,
                line.amount,
                _percent(line.sale_line.commission_rate),
            ]
            for line in return_lines
        ],
        money_columns={6},
    )
    return save(wb)


def report_workbook(report: SalesReport) -> bytes:
    """The report's tables, one sheet each, with the period and the centers on the first sheet."""
    wb = workbook()
    about: list[list[Any]] = [
        ["Từ ngày", report.start.strftime("%d/%m/%Y")],
        ["Đến ngày", report.end.strftime("%d/%m/%Y")],
        ["Trung tâm", ", ".join(center.name for center in report.centers)],
        ["Doanh thu", report.gross],
        ["Hàng trả lại", report.returns],
        ["Doanh thu thuần", report.net],
    ]
    sheet(wb.active, "Tổng quan", ["Mục", "Giá trị"], about)
    for (cell,) in wb.active.iter_rows(min_row=5, max_row=7, min_col=2, max_col=2):
        cell.number_format = MONEY_FORMAT
    headers = ["Số lượng bán", "Doanh thu", "Số lượng trả lại", "Hàng trả lại", "Doanh thu thuần"]
    for title, first, rows in (
        ("Theo ngày", "Ngày", report.by_day),
        ("Theo trung tâm", "Trung tâm", report.by_center),
        ("Theo chủ thể", "Chủ thể", report.by_producer),
        ("Theo nhóm sản phẩm", "Nhóm sản phẩm", report.by_group),
    ):
        sheet(
            wb.create_sheet(),
            title,
            [first, *headers],
            [
                [
                    row.key.strftime("%d/%m/%Y") if title == "Theo ngày" else row.label,
                    row.units,
                    row.gross,
                    row.units_returned,
                    row.returns,
                    row.net,
                ]
                for row in rows
            ],
            money_columns={3, 5, 6},
        )
    sheet(
        wb.create_sheet(),
        "Theo hình thức thanh toán",
        ["Hình thức", "Số giao dịch", "Đã thu", "Đã hoàn", "Thực thu"],
        [[METHOD_VI.get(r.key, r.label), r.count, r.received, r.refunded, r.net] for r in report.by_method],
        money_columns={3, 4, 5},
    )
    for title, sellers in (
        ("Bán chạy theo số lượng", report.top_by_quantity),
        ("Bán chạy theo doanh thu", report.top_by_amount),
    ):
        sheet(
            wb.create_sheet(),
            title,
            ["Hạng", "Sản phẩm", "Chủ thể", "Số lượng", "Doanh thu"],
            [[rank, r.label, r.producer, r.quantity, r.amount] for rank, r in enumerate(sellers, start=1)],
            money_columns={5},
        )
    sheet(
        wb.create_sheet(),
        "Giá trị tồn kho",
        ["Chủ thể", "Số lượng tồn", "Giá trị theo giá niêm yết"],
        [[r["producer"], r["units"], r["value"]] for r in report.stock_value],
        money_columns={3},
    )
    return save(wb)


def monthly_workbook(report: MonthlyReport) -> bytes:
    """Net sales by unit and month (one column a month), then gross, returns and net by unit."""
    wb = workbook()
    months = [f"{m:%m/%Y}" for m in report.months]
    sheet(
        wb.active,
        "Doanh thu thuần theo tháng",
        ["Đơn vị hành chính", *months, "Cộng"],
        [
            [unit.label, *(cell.net for cell in unit.cells(report.months)), unit.total.net]
            for unit in report.units
        ]
        + [["Cộng", *(row.net for row in report.by_month), report.net]],
        money_columns=set(range(2, len(months) + 3)),
    )
    sheet(
        wb.create_sheet(),
        "Theo đơn vị",
        [
            "Đơn vị hành chính",
            "Số lượng bán",
            "Doanh thu",
            "Số lượng trả lại",
            "Hàng trả lại",
            "Doanh thu thuần",
        ],
        [
            [u.label, u.total.units, u.total.gross, u.total.units_returned, u.total.returns, u.total.net]
            for u in report.units
        ],
        money_columns={3, 5, 6},
    )
    sheet(
        wb.create_sheet(),
        "Kỳ báo cáo",
        ["Mục", "Giá trị"],
        [
            ["Từ tháng", f"{report.start:%m/%Y}"],
            ["Đến tháng", f"{report.end:%m/%Y}"],
            ["Trung tâm", ", ".join(center.name for center in report.centers)],
        ],
    )
    return save(wb)
