"""The city's column layout, the labels of its cells, and what an import reports."""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from ocophub.common.text import fold

from ..models import (
    DecidingLevel,
    ProducerKind,
)

COLUMNS: list[str] = [
    "STT",
    "Tên sản phẩm",
    "Chủ thể",
    "Mã số thuế/Số đăng ký",
    "Loại chủ thể",
    "Địa chỉ",
    "Xã/phường",
    "Quận/huyện",
    "Nhóm sản phẩm",
    "Hạng sao",
    "Điểm",
    "Số quyết định",
    "Ngày quyết định (dd/mm/yyyy)",
    "Cấp quyết định",
    "Giá niêm yết (đ)",
]
(NO, PRODUCT, PRODUCER, REGISTRATION, KIND, ADDRESS, COMMUNE, DISTRICT) = COLUMNS[:8]
(GROUP, STARS, SCORE, DECISION, DATE, LEVEL, PRICE) = COLUMNS[8:]
REQUIRED = (PRODUCT, PRODUCER, COMMUNE)
CERTIFICATE_COLUMNS = (STARS, SCORE, DECISION, DATE, LEVEL)
COLUMN_WIDTHS = (6, 36, 36, 16, 16, 36, 24, 20, 28, 9, 8, 20, 14, 16, 14)
PREVIEW_ROWS = 20
HEADER_SEARCH_ROWS = 10
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_EXCEL = "Không phải tệp Excel (.xlsx)"
MINISTRY_MERGER = dt.date(2025, 3, 1)  # the Ministry of Agriculture and Environment from 01/03/2025

KIND_VI: dict[str, str] = {
    ProducerKind.COOPERATIVE: "Hợp tác xã",
    ProducerKind.COOPERATIVE_GROUP: "Tổ hợp tác",
    ProducerKind.ENTERPRISE: "Doanh nghiệp",
    ProducerKind.FARM: "Trang trại",
    ProducerKind.HOUSEHOLD: "Hộ kinh doanh",
    ProducerKind.ASSOCIATION: "Hiệp hội",
}
LEVEL_VI: dict[str, str] = {
    DecidingLevel.COMMUNE: "Cấp xã",
    DecidingLevel.DISTRICT: "Cấp huyện",
    DecidingLevel.PROVINCE: "Cấp thành phố",
    DecidingLevel.CENTRAL: "Trung ương",
}
# Other names of the kinds in the city's lists; as the first words of a producer's name they give its kind.
KIND_WORDS = {
    "hop tac xa": ProducerKind.COOPERATIVE,
    "htx": ProducerKind.COOPERATIVE,
    "to hop tac": ProducerKind.COOPERATIVE_GROUP,
    "tht": ProducerKind.COOPERATIVE_GROUP,
    "doanh nghiep": ProducerKind.ENTERPRISE,
    "cong ty": ProducerKind.ENTERPRISE,
    "cty": ProducerKind.ENTERPRISE,
    "dntn": ProducerKind.ENTERPRISE,
    "dn": ProducerKind.ENTERPRISE,
    "trang trai": ProducerKind.FARM,
    "ho kinh doanh": ProducerKind.HOUSEHOLD,
    "hkd": ProducerKind.HOUSEHOLD,
    "co so": ProducerKind.HOUSEHOLD,
    "ho san xuat": ProducerKind.HOUSEHOLD,
    "hiep hoi": ProducerKind.ASSOCIATION,
    "hoi": ProducerKind.ASSOCIATION,
}
KINDS: dict[str, str] = {
    **{fold(label): kind for kind, label in KIND_VI.items()},
    **KIND_WORDS,
    **{k: k for k in KIND_VI},
}
LEVELS: dict[str, str] = {
    **{fold(label): level for level, label in LEVEL_VI.items()},
    **{level: level for level in LEVEL_VI},
    "xa": DecidingLevel.COMMUNE,
    "huyen": DecidingLevel.DISTRICT,
    "quan huyen": DecidingLevel.DISTRICT,
    "cap quan huyen": DecidingLevel.DISTRICT,
    "thanh pho": DecidingLevel.PROVINCE,
    "tp": DecidingLevel.PROVINCE,
    "tinh": DecidingLevel.PROVINCE,
    "cap tinh": DecidingLevel.PROVINCE,
    "tw": DecidingLevel.CENTRAL,
    "cap trung uong": DecidingLevel.CENTRAL,
    "quoc gia": DecidingLevel.CENTRAL,
    "cap quoc gia": DecidingLevel.CENTRAL,
}
HEADER_ALIASES = {
    "so thu tu": NO,
    "tt": NO,
    "ma so thue": REGISTRATION,
    "so dang ky": REGISTRATION,
    "ten chu the": PRODUCER,
    "xa phuong thi tran": COMMUNE,
    "quan huyen thi xa": DISTRICT,
    "so sao": STARS,
    "tong diem": SCORE,
    "so qd": DECISION,
    "ngay qd": DATE,
    "cap qd": LEVEL,
    "cap cong nhan": LEVEL,
    "gia": PRICE,
    "gia ban": PRICE,
}
PLACE_PREFIXES = ("thi tran ", "thi xa ", "thanh pho ", "phuong ", "quan ", "huyen ", "xa ")
DATE_PATTERN = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
WHOLE_NUMBER = re.compile(r"\d{1,3}(?:[.,]\d{3})+|\d+")

Progress = Callable[[int, int], None]


class RowError(NamedTuple):
    row: int  # as numbered in Excel; 0 for the file as a whole
    column: str
    message: str


@dataclass
class PreviewRow:
    row: int
    values: list[str]  # one per column of COLUMNS, as understood
    producer: str = ""  # "new" | "existing"
    product: str = ""  # "new" | "update" | "same"
    certificate: str = ""  # "new" | "existing" | ""


@dataclass
class ImportReport:
    """What an import did, or (not committed) would do, and the errors that stopped it."""

    rows_read: int = 0
    producers_created: int = 0
    producers_matched: int = 0
    products_created: int = 0
    products_updated: int = 0
    products_unchanged: int = 0
    certificates_created: int = 0
    certificates_skipped: int = 0
    committed: bool = False
    errors: list[RowError] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors
