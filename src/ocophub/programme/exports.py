"""Excel exports of the progress and funding reports, with Vietnamese headers.

The numbers come from the same selectors as the dashboard and the API.
"""

from ocophub.centers.models import Status
from ocophub.common.xlsx import save, sheet, workbook

from .models import FundingSource
from .selectors import FundingRow, Progress

STATE_VI: dict[str, str] = {
    "met": "Đạt",
    "on_track": "Đúng tiến độ",
    "behind": "Chậm",
    "missed": "Không đạt",
    "no_target": "Chưa có chỉ tiêu",
    "not_started": "Chưa bắt đầu",
}
STATUS_VI: dict[str, str] = {
    Status.PROPOSED: "Đề xuất",
    Status.PLANNED: "Kế hoạch",
    Status.UNDER_CONSTRUCTION: "Đang xây dựng",
    Status.RECOGNISED: "Đã công nhận",
    Status.OPERATING: "Đang hoạt động",
    Status.SUSPENDED: "Tạm dừng",
    Status.CLOSED: "Đóng cửa",
}
SOURCE_VI: dict[str, str] = {
    FundingSource.STATE_CITY: "Ngân sách thành phố",
    FundingSource.STATE_DISTRICT: "Ngân sách cấp huyện",
    FundingSource.STATE_COMMUNE: "Ngân sách cấp xã",
    FundingSource.SOCIAL_ENTERPRISE: "Xã hội hóa — doanh nghiệp",
    FundingSource.SOCIAL_ORGANISATION: "Xã hội hóa — tổ chức",
    FundingSource.SOCIAL_INDIVIDUAL: "Xã hội hóa — cá nhân",
    FundingSource.AID_DOMESTIC: "Viện trợ, tài trợ trong nước",
    FundingSource.AID_FOREIGN: "Viện trợ, tài trợ nước ngoài",
    FundingSource.OTHER: "Nguồn hợp pháp khác",
}


def progress_workbook(progress: Progress) -> bytes:
    wb = workbook()
    statuses = list(Status.values)
    headers = [
        "Mã đơn vị",
        "Đơn vị",
        "Chỉ tiêu (số trung tâm)",
        "Đã công nhận/hoạt động",
        "Đang chuẩn bị",
        "Tình trạng",
        *[f"Số trung tâm: {STATUS_VI[s]}" for s in statuses],
        "Các chỉ tiêu",
    ]
    rows = []
    for row in progress.units:
        rows.append(
            [
                row.unit.code_display,
                row.unit.name,
                sum(tp.target.min_centers for tp in row.targets) or None,
                row.counted,
                row.pipeline,
                STATE_VI[row.state],
                *[row.by_status.get(s, 0) for s in statuses],
                "; ".join(
                    f"{tp.target.label} (hạn {tp.target.due_on:%d/%m/%Y}): "
                    f"{tp.counted}/{tp.target.min_centers} — {STATE_VI[tp.state]}"
                    for tp in row.targets
                ),
            ]
        )
    sheet(wb.active, "Tiến độ theo đơn vị", headers, rows)
    city = wb.create_sheet()
    sheet(
        city,
        "Chỉ tiêu toàn thành phố",
        ["Chỉ tiêu", "Tối thiểu", "Tối đa", "Hạn", "Đã đạt", "Đang chuẩn bị", "Tình trạng", "Nguồn"],
        [
            [
                tp.target.label,
                tp.target.min_centers,
                tp.target.max_centers,
                tp.target.due_on.strftime("%d/%m/%Y"),
                tp.counted,
                tp.pipeline,
                STATE_VI[tp.state],
                tp.target.source,
            ]
            for tp in progress.city_targets
        ],
    )
    about = wb.create_sheet("Thông tin")
    about.append(["Kế hoạch", progress.plan.number])
    about.append(["Tên", progress.plan.title])
    about.append(["Ngày đánh giá", progress.on.strftime("%d/%m/%Y")])
    about.append(["Đơn vị chưa có trung tâm", ", ".join(u.name for u in progress.units_without_center)])
    return save(wb)


def funding_workbook(
    by_center: list[FundingRow],
    by_source: list[FundingRow],
    centers: dict[str, tuple[str, str]],
    source_by_center: dict[str, dict[str, int]],
) -> bytes:
    """One row per center (with its committed amount per source), and a sheet of totals by source."""
    wb = workbook()
    sources = list(FundingSource.values)
    headers = [
        "Trung tâm",
        "Xã/phường",
        "Huyện/thị xã (trước 2025)",
        "Đã cam kết",
        "Đã giải ngân",
        "Còn lại",
        *[f"Cam kết: {SOURCE_VI[s]}" for s in sources],
    ]
    rows = []
    for row in by_center:
        commune, district = centers.get(row.key, ("", ""))
        rows.append(
            [
                row.label,
                commune,
                district,
                row.committed,
                row.disbursed,
                row.outstanding,
                *[source_by_center.get(row.key, {}).get(s, 0) for s in sources],
            ]
        )
    sheet(wb.active, "Theo trung tâm", headers, rows, money_columns=set(range(4, 7 + len(sources))))
    sheet(
        wb.create_sheet(),
        "Theo nguồn vốn",
        ["Nguồn vốn", "Đã cam kết", "Đã giải ngân", "Còn lại"],
        [[SOURCE_VI.get(r.key, r.label), r.committed, r.disbursed, r.outstanding] for r in by_source],
        money_columns={2, 3, 4},
    )
    return save(wb)
