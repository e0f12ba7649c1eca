"""Excel import and export of OCOP product lists, in the layout the city publishes.

One row per product: the product, its producer (chủ thể) and the product's latest valid certificate.
An import is all-or-nothing: every row is checked first, and only a file without a single error is
written, in one transaction, through the catalogue's services. Importing an exported file changes nothing.

The rules the city's lists leave open:
- the header row is found by its titles among the first ten rows of the first sheet that has one, so a
  title line above it, another column order and extra columns are accepted; empty rows are skipped;
- a producer is the one with the row's registration (tax) number, else the one of the same folded name
  in the same commune, else a new one; its details come from the first row that names it (a matched
  producer takes that row's non-blank values);
- a product is the producer's product of the same folded name (updated) or a new one (published);
  a blank cell never clears a stored value; one product appears on one row only;
- a certificate is recorded when the row has a decision, unless the product already has a certificate
  with that decision number; its issuer follows from the deciding level;
- a commune is looked up in its district (Quận/huyện), or without one among today's communes first,
  then the former communes when the name is unique;
- a unit officer may only import rows of communes their units cover; a city administrator any.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from itertools import islice
from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, QuerySet
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from ocophub.accounts import permissions
from ocophub.accounts.permissions import covers_unit, is_city_admin
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError
from ocophub.common.text import fold
from ocophub.places.models import AdministrativeUnit, Era, Level

from . import services
from .models import (
    Certificate,
    DecidingLevel,
    Producer,
    ProducerKind,
    Product,
    RuleSet,
    StarBand,
    TaxonomyNode,
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

KIND_VI = {
    ProducerKind.COOPERATIVE: "Hợp tác xã",
    ProducerKind.COOPERATIVE_GROUP: "Tổ hợp tác",
    ProducerKind.ENTERPRISE: "Doanh nghiệp",
    ProducerKind.FARM: "Trang trại",
    ProducerKind.HOUSEHOLD: "Hộ kinh doanh",
    ProducerKind.ASSOCIATION: "Hiệp hội",
}
LEVEL_VI = {
    DecidingLevel.COMMUNE: "Cấp xã",
    DecidingLevel.DISTRICT: "Cấp huyện",
    DecidingLevel.PROVINCE: "Cấp thành phố",
    DecidingLevel.CENTRAL: "Trung ương",
}
# Other names of the kinds in the city's lists; as the first words of a producer's name they give its kind.
_KIND_WORDS = {
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
_KINDS = {**{fold(label): kind for kind, label in KIND_VI.items()}, **_KIND_WORDS, **{k: k for k in KIND_VI}}
_LEVELS = {
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
_HEADER_ALIASES = {
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
_PLACE_PREFIXES = ("thi tran ", "thi xa ", "thanh pho ", "phuong ", "quan ", "huyen ", "xa ")
_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_WHOLE = re.compile(r"\d{1,3}(?:[.,]\d{3})+|\d+")

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


def can_import(user: Any) -> bool:
    return permissions.can_import_products(user)


def products_for(user: Any) -> QuerySet[Product]:
    """What a user may export: all products for the city; those of producers in their units for an officer."""
    products = Product.objects.order_by("producer__folded_name", "producer_id", "folded_name", "pk")
    if is_city_admin(user):
        return products
    communes = AdministrativeUnit.objects.filter(pk__in=Producer.objects.values("commune_id")).select_related(
        "parent"
    )
    return products.filter(producer__commune_id__in=[c.pk for c in communes if covers_unit(user, c)])


# --- export ---------------------------------------------------------------------------------


def _latest_valid(product: Product, day: dt.date) -> Certificate | None:
    certificates = sorted(product.certificates.all(), key=lambda c: (c.decision_date, c.pk), reverse=True)
    return next((c for c in certificates if c.is_valid_on(day)), None)


def _district_of(commune: AdministrativeUnit) -> AdministrativeUnit | None:
    parent = commune.parent if commune.parent_id else None
    return parent if parent is not None and parent.level == Level.DISTRICT else None


def products_export(products: Iterable[Product]) -> bytes:
    """The products as the city's list: one row each, with its latest valid certificate (or none)."""
    if isinstance(products, QuerySet):
        products = products.select_related("producer__commune__parent", "taxonomy").prefetch_related(
            Prefetch("certificates", queryset=Certificate.objects.order_by("-decision_date", "-pk"))
        )
    today = local_today()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sản phẩm OCOP"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F4EFE6")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for number, product in enumerate(products, start=1):
        producer, certificate = product.producer, _latest_valid(product, today)
        district = _district_of(producer.commune)
        score = certificate.total_score if certificate else None
        row = [
            number,
            product.name,
            producer.name,
            producer.registration_number or "",
            KIND_VI.get(producer.kind, producer.kind),
            producer.address,
            producer.commune.name,
            district.name if district else "",
            product.taxonomy.name if product.taxonomy_id else "",
            certificate.stars if certificate else None,
            int(score) if score is not None and score == score.to_integral_value() else score,
            certificate.decision_number if certificate else "",
            certificate.decision_date if certificate else None,
            LEVEL_VI.get(certificate.deciding_level, "") if certificate else "",
            product.list_price,
        ]
        sheet.append(row)
        sheet.cell(number + 1, COLUMNS.index(REGISTRATION) + 1).number_format = "@"  # keeps leading zeros
        sheet.cell(number + 1, COLUMNS.index(DATE) + 1).number_format = "DD/MM/YYYY"
        sheet.cell(number + 1, COLUMNS.index(PRICE) + 1).number_format = "#,##0"
    for index, width in enumerate(COLUMN_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- reading cells --------------------------------------------------------------------------


class _CellError(ValueError):
    def __init__(self, message: str, column: str | None = None) -> None:
        super().__init__(message)
        self.column = column


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


def _header_key(value: Any) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", re.sub(r"\(.*?\)", " ", fold(_text(value)))))


_HEADERS = {**{_header_key(title): title for title in COLUMNS}, **_HEADER_ALIASES}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _registration(value: Any) -> str | None:
    if _is_number(value) and float(value).is_integer():
        digits = str(int(value))
        return digits.zfill(10) if len(digits) == 9 else digits  # Excel drops a tax number's leading zero
    text = _text(value).replace(" ", "")
    if len(text) > 30:
        raise _CellError("Mã số thuế/Số đăng ký dài quá 30 ký tự")
    return text or None


def _choice(value: Any, choices: dict[str, str], labels: Iterable[str], what: str) -> str | None:
    text = _text(value)
    if not text:
        return None
    try:
        return choices[fold(text).replace(".", "")]
    except KeyError:
        raise _CellError(f"{what} không hợp lệ: «{text}» ({', '.join(labels)})") from None


def _kind(value: Any) -> str | None:
    return _choice(value, _KINDS, KIND_VI.values(), "Loại chủ thể")


def _level(value: Any) -> str | None:
    return _choice(value, _LEVELS, LEVEL_VI.values(), "Cấp quyết định")


def _kind_from_name(name: str) -> str | None:
    folded = fold(name)
    return next((kind for word, kind in _KIND_WORDS.items() if folded.startswith(word + " ")), None)


def _stars(value: Any) -> int | None:
    text = _text(value)
    if not text:
        return None
    match = re.fullmatch(r"(\d+)\s*(?:sao|\*|★)?", fold(text))
    if match is None or not 3 <= int(match.group(1)) <= 5:
        raise _CellError("Hạng sao phải từ 3 đến 5")
    return int(match.group(1))


def _score(value: Any) -> Decimal | None:
    text = _text(value)
    if not text:
        return None
    try:
        score = Decimal(text if _is_number(value) else text.replace(",", "."))
    except InvalidOperation:
        score = Decimal(-1)
    if not score.is_finite() or not 0 <= score <= 100:
        raise _CellError("Điểm phải là số từ 0 đến 100")
    return score.quantize(Decimal("0.01"))


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    match = _DATE.fullmatch(text) if isinstance(value, str) else None
    try:
        if match is None:
            raise ValueError(text)
        return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        raise _CellError("Ngày quyết định không hợp lệ (dd/mm/yyyy)") from None


def _price(value: Any) -> int | None:
    if _is_number(value):
        if value >= 0 and float(value).is_integer():
            return int(value)
        raise _CellError("Giá phải là số nguyên không âm")
    text = re.sub(r"\s|₫|(?:vnd|dong|d)$", "", fold(_text(value)))
    if not text:
        return None
    if not _WHOLE.fullmatch(text):
        raise _CellError("Giá phải là số nguyên không âm")
    return int(text.replace(".", "").replace(",", ""))


def _limited(length: int, label: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = _text(value)
        if len(text) > length:
            raise _CellError(f"{label} dài quá {length} ký tự")
        return text

    return parse


_PARSERS: dict[str, Callable[[Any], Any]] = {
    PRODUCT: _limited(200, "Tên sản phẩm"),
    PRODUCER: _limited(200, "Tên chủ thể"),
    REGISTRATION: _registration,
    KIND: _kind,
    ADDRESS: _limited(300, "Địa chỉ"),
    STARS: _stars,
    SCORE: _score,
    DECISION: _limited(60, "Số quyết định"),
    DATE: _date,
    LEVEL: _level,
    PRICE: _price,
}


# --- reference lookups ----------------------------------------------------------------------


def _latest(units: list[AdministrativeUnit]) -> AdministrativeUnit:
    return max(units, key=lambda u: u.valid_to or dt.date.max)


class _Places:
    """Hanoi's districts and communes in memory, found by folded name with or without "Xã", "Huyện"…"""

    def __init__(self) -> None:
        self.exact: dict[str, list[AdministrativeUnit]] = {}
        self.loose: dict[str, list[AdministrativeUnit]] = {}
        units = AdministrativeUnit.objects.filter(level__in=(Level.DISTRICT, Level.COMMUNE)).select_related(
            "parent"
        )
        for unit in units:
            self.exact.setdefault(unit.folded_name, []).append(unit)
            for prefix in _PLACE_PREFIXES:
                if unit.folded_name.startswith(prefix):
                    self.loose.setdefault(unit.folded_name[len(prefix) :], []).append(unit)

    def _find(self, text: str, level: str) -> list[AdministrativeUnit]:
        folded = fold(text)
        found = [u for u in self.exact.get(folded, []) if u.level == level]
        return found or [u for u in self.loose.get(folded, []) if u.level == level]

    def commune(self, name: str, district_name: str) -> AdministrativeUnit:
        if district_name:
            districts = self._find(district_name, Level.DISTRICT)
            if not districts:
                raise _CellError(f"Không tìm thấy quận/huyện «{district_name}»", DISTRICT)
            ids = {d.pk for d in districts}
            found = [u for u in self._find(name, Level.COMMUNE) if u.parent_id in ids]
            if not found:
                raise _CellError(f"Không tìm thấy xã/phường «{name}» thuộc {districts[0].name}")
            return _latest(found)
        found = self._find(name, Level.COMMUNE)
        current = [u for u in found if u.era == Era.CURRENT]
        if len(current) == 1:
            return current[0]
        if not found:
            raise _CellError(f"Không tìm thấy xã/phường «{name}»")
        if current or len({u.parent_id for u in found}) > 1:
            raise _CellError(f"Có nhiều xã/phường tên «{name}»: hãy ghi cả Quận/huyện")
        return _latest(found)


class _Rules:
    """Rule sets, star bands and the taxonomy in memory (a few dozen rows)."""

    def __init__(self) -> None:
        self.nodes = list(TaxonomyNode.objects.select_related("rule_set"))
        self.rule_sets = list(RuleSet.objects.order_by("-valid_from"))
        self.bands: dict[int, list[StarBand]] = {}
        for band in StarBand.objects.order_by("-stars"):
            self.bands.setdefault(band.rule_set_id, []).append(band)

    def rule_set_on(self, day: dt.date) -> RuleSet | None:
        return next(
            (r for r in self.rule_sets if r.valid_from <= day and (r.valid_to is None or day <= r.valid_to)),
            None,
        )

    def stars_for(self, rule_set: RuleSet, total: Decimal) -> int | None:
        return next(
            (b.stars for b in self.bands.get(rule_set.pk, []) if b.min_score <= total <= b.max_score), None
        )

    def node(self, text: str, product: Product | None, day: dt.date | None) -> TaxonomyNode | None:
        """A product group by name or code. Several groups share a name across rule sets: the product's
        own comes first, then that of the certificate's rule set, then the newest rule set's."""
        if not text:
            return None
        folded = fold(text)
        found = [n for n in self.nodes if n.folded_name == folded or n.code == text]
        if not found:
            raise _CellError(f"Không tìm thấy nhóm sản phẩm «{text}»")
        rule_set = self.rule_set_on(day) if day else None

        def preference(node: TaxonomyNode) -> tuple:
            return (
                product is not None and node.pk == product.taxonomy_id,
                rule_set is not None and node.rule_set_id == rule_set.pk,
                node.rule_set.valid_from,
                -node.position,
            )

        return max(found, key=preference)


def _issuer(level: str, commune: AdministrativeUnit, day: dt.date) -> str:
    if level == DecidingLevel.CENTRAL:
        return (
            "Bộ Nông nghiệp và Môi trường"
            if day >= MINISTRY_MERGER
            else "Bộ Nông nghiệp và Phát triển nông thôn"
        )
    if level == DecidingLevel.PROVINCE:
        return "UBND Thành phố Hà Nội"
    if level == DecidingLevel.DISTRICT:
        district = _district_of(commune)
        return f"UBND {district.name}" if district else "UBND cấp huyện"
    return f"UBND {commune.name}"


# --- reading the workbook -------------------------------------------------------------------


class _NotExcel(Exception):
    pass


class _Rollback(Exception):
    pass


def _read(data: bytes) -> tuple[int, dict[str, int], list[tuple[int, tuple]]]:
    """The header row's number (0: none found), the column index of each title, and the rows below."""
    if not data.startswith(b"PK\x03\x04"):
        raise _NotExcel
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of error on a damaged or foreign file
        raise _NotExcel from error
    try:
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()  # some writers record a wrong size; read every row there is
            top = islice(sheet.iter_rows(values_only=True), HEADER_SEARCH_ROWS)
            for number, values in enumerate(top, start=1):
                columns: dict[str, int] = {}
                for index, value in enumerate(values):
                    title = _HEADERS.get(_header_key(value))
                    if title is not None:
                        columns.setdefault(title, index)
                if PRODUCT in columns and PRODUCER in columns:
                    below = islice(sheet.iter_rows(values_only=True), number, None)
                    return number, columns, list(enumerate(below, start=number + 1))
    except Exception as error:  # a damaged sheet fails while it is read, not when it is opened
        raise _NotExcel from error
    finally:
        workbook.close()
    return 0, {}, []


# --- the import -----------------------------------------------------------------------------


@dataclass(eq=False)
class _Producer:
    """A producer the rows name: one in the database (`existing`) or one the import creates."""

    existing: Producer | None
    folded_name: str
    registration: str | None
    commune_id: int
    first_row: int = 0
    saved: Producer | None = None


@dataclass
class _Row:
    number: int
    raw: dict[str, Any]
    cells: dict[str, Any]
    producer: _Producer | None = None
    product: Product | None = None
    taxonomy: TaxonomyNode | None = None
    certificate_new: bool = False


# A row with an error in one of these columns is not matched with producers and products.
_MATCHED_BY = ("", PRODUCT, PRODUCER, REGISTRATION, KIND, COMMUNE, DISTRICT)
_FIELD_COLUMNS = {
    "registration_number": REGISTRATION,
    "kind": KIND,
    "address": ADDRESS,
    "commune": COMMUNE,
    "taxonomy": GROUP,
    "list_price": PRICE,
    "stars": STARS,
    "total_score": SCORE,
    "decision_number": DECISION,
    "decision_date": DATE,
    "deciding_level": LEVEL,
    "issuer": LEVEL,
    "producer": PRODUCER,
}


class _Importer:
    def __init__(self, actor: Any, report: ImportReport) -> None:
        self.actor, self.report = actor, report
        self.places, self.rules = _Places(), _Rules()
        self.allowed: dict[int, bool] = {}
        self.failed: dict[int, set[str]] = {}  # row → the columns with an error
        self.today = local_today()
        self.stage = PRODUCER

    def error(self, row: int, column: str, message: str) -> None:
        self.report.errors.append(RowError(row, column, message))
        self.failed.setdefault(row, set()).add(column)

    def failed_in(self, row: int, columns: Iterable[str]) -> bool:
        return not self.failed.get(row, set()).isdisjoint(columns)

    def may_edit(self, unit: AdministrativeUnit) -> bool:
        if unit.pk not in self.allowed:
            self.allowed[unit.pk] = is_city_admin(self.actor) or covers_unit(self.actor, unit)
        return self.allowed[unit.pk]

    # checking

    def parse(self, number: int, raw: dict[str, Any]) -> _Row:
        """Each cell on its own; an unreadable cell is reported and left out."""
        cells: dict[str, Any] = {}
        for column in COLUMNS:
            try:
                cells[column] = _PARSERS.get(column, _text)(raw.get(column))
            except _CellError as error:
                self.error(number, column, str(error))
        for column, label in ((PRODUCT, "tên sản phẩm"), (PRODUCER, "tên chủ thể"), (COMMUNE, "xã/phường")):
            if column in cells and not cells[column]:
                self.error(number, column, f"Thiếu {label}")
        if cells.get(COMMUNE):
            try:
                cells[COMMUNE] = self.places.commune(cells[COMMUNE], cells[DISTRICT])
            except _CellError as error:
                self.error(number, error.column or COMMUNE, str(error))
                del cells[COMMUNE]
            else:
                if not self.may_edit(cells[COMMUNE]):
                    self.error(number, COMMUNE, f"Tài khoản không được giao quản lý {cells[COMMUNE].name}")
        if cells.get(PRODUCER) and not cells.get(KIND) and KIND in cells:
            cells[KIND] = _kind_from_name(cells[PRODUCER])
        return _Row(number, raw, cells)

    def resolve(self, rows: list[_Row], progress: Progress, total: int) -> None:
        """Match producers and products with the database and with the rows above; check certificates."""
        regs = {r.cells[REGISTRATION] for r in rows if r.cells.get(REGISTRATION)}
        names = {fold(r.cells[PRODUCER]) for r in rows if r.cells.get(PRODUCER)}
        by_reg: dict[str, _Producer] = {}
        by_name: dict[tuple[str, int], list[_Producer]] = {}
        found = list(
            Producer.objects.select_related("commune__parent")
            .filter(Q(registration_number__in=regs) | Q(folded_name__in=names))
            .order_by("pk")
        )
        for producer in found:
            plan = _Producer(
                producer, producer.folded_name, producer.registration_number, producer.commune_id
            )
            if producer.registration_number:
                by_reg[producer.registration_number] = plan
            by_name.setdefault((producer.folded_name, producer.commune_id), []).append(plan)
        products: dict[tuple[int, str], Product] = {}
        certificates = Prefetch(
            "certificates", queryset=Certificate.objects.only("product_id", "decision_number")
        )
        candidates = Product.objects.filter(
            producer__in=[p.pk for p in found],
            folded_name__in={fold(r.cells[PRODUCT]) for r in rows if r.cells.get(PRODUCT)},
        ).prefetch_related(certificates)
        for product in candidates.order_by("-pk"):
            products[(product.producer_id, product.folded_name)] = product
        seen: dict[tuple[_Producer, str], int] = {}
        for done, row in enumerate(rows, start=1):
            progress(done, total)
            if not self.failed_in(row.number, _MATCHED_BY):
                self.match(row, by_reg, by_name, products, seen)
            if row.producer is not None and not self.failed_in(row.number, CERTIFICATE_COLUMNS):
                self.check_certificate(row)

    def match(self, row: _Row, by_reg: dict, by_name: dict, products: dict, seen: dict) -> None:
        cells, number = row.cells, row.number
        commune, reg, folded = cells[COMMUNE], cells[REGISTRATION], fold(cells[PRODUCER])
        plan = by_reg.get(reg) if reg else None
        if (
            plan is not None
            and plan.first_row
            and (plan.folded_name, plan.commune_id) != (folded, commune.pk)
        ):
            message = (
                f"Mã số thuế/Số đăng ký {reg} đã dùng ở dòng {plan.first_row} cho chủ thể hoặc xã/phường khác"
            )
            return self.error(number, REGISTRATION, message)
        if plan is None:
            same_name = by_name.get((folded, commune.pk), [])
            plan = next((p for p in same_name if not reg or p.registration in (None, reg)), None)
        if plan is None:
            if not cells[KIND]:
                return self.error(number, KIND, "Thiếu loại chủ thể")
            plan = _Producer(None, folded, reg, commune.pk)
            self.report.producers_created += 1
        elif plan.existing is not None and not plan.first_row:
            if plan.existing.commune_id != commune.pk and not self.may_edit(plan.existing.commune):
                where = plan.existing.commune.name
                message = f"Chủ thể «{plan.existing.name}» thuộc {where}, ngoài phạm vi quản lý của tài khoản"
                return self.error(number, COMMUNE, message)
            self.report.producers_matched += 1
        if not plan.first_row:  # the first row names the producer as it will be after the import
            plan.first_row, plan.folded_name, plan.commune_id = number, folded, commune.pk
        plan.registration = plan.registration or reg
        if plan.registration:
            by_reg[plan.registration] = plan
        if plan not in by_name.setdefault((folded, commune.pk), []):
            by_name[(folded, commune.pk)].insert(0, plan)
        key = (plan, fold(cells[PRODUCT]))
        if key in seen:
            return self.error(number, PRODUCT, f"Sản phẩm trùng với dòng {seen[key]}")
        seen[key] = number
        row.producer = plan
        row.product = products.get((plan.existing.pk, key[1])) if plan.existing else None
        try:
            row.taxonomy = self.rules.node(cells[GROUP], row.product, cells.get(DATE))
        except _CellError as error:
            self.error(number, GROUP, str(error))

    def check_certificate(self, row: _Row) -> None:
        """The rules `certificate_issue` applies, checked before anything is written."""
        cells, number = row.cells, row.number
        if not any(cells.get(column) not in (None, "") for column in CERTIFICATE_COLUMNS):
            return
        missing = ((DECISION, "Thiếu số quyết định"), (DATE, "Thiếu ngày quyết định (dd/mm/yyyy)"))
        for column, message in (*missing, (LEVEL, "Thiếu cấp quyết định")):
            if cells.get(column) in (None, ""):
                self.error(number, column, message)
        if cells.get(STARS) is None and cells.get(SCORE) is None:
            self.error(number, STARS, "Thiếu hạng sao")
        if self.failed_in(number, CERTIFICATE_COLUMNS):
            return
        recorded = {fold(c.decision_number) for c in row.product.certificates.all()} if row.product else set()
        row.certificate_new = fold(cells[DECISION]) not in recorded
        if not row.certificate_new:
            return
        day, stars, score = cells[DATE], cells[STARS], cells[SCORE]
        rule_set = self.rules.rule_set_on(day)
        if day > self.today:
            self.error(number, DATE, "Ngày quyết định sau ngày hôm nay")
        elif rule_set is None:
            self.error(number, DATE, "Không có bộ tiêu chí OCOP áp dụng cho ngày quyết định này")
        if rule_set is not None and score is not None:
            banded = self.rules.stars_for(rule_set, score)
            if score > rule_set.max_total:
                self.error(number, SCORE, f"Điểm tối đa là {rule_set.max_total}")
            elif stars is not None and banded is not None and banded != stars:
                self.error(number, STARS, f"{score} điểm tương ứng {banded} sao, không phải {stars} sao")
            elif stars is None and banded is not None and banded < 3:
                self.error(
                    number, SCORE, f"{score} điểm chỉ đạt {banded} sao: chỉ 3 đến 5 sao được công nhận"
                )
            stars = stars or banded
        if stars == 5 and cells[LEVEL] != DecidingLevel.CENTRAL:
            self.error(number, LEVEL, "Sản phẩm 5 sao do Trung ương quyết định")

    # reporting

    def producer_changes(self, row: _Row, current: Producer) -> dict[str, Any]:
        cells = row.cells
        wanted = {
            "name": cells[PRODUCER],
            "kind": cells[KIND],
            "registration_number": cells[REGISTRATION],
            "address": cells[ADDRESS],
        }
        changes = {name: value for name, value in wanted.items() if value and value != getattr(current, name)}
        if cells[COMMUNE].pk != current.commune_id:
            changes["commune"] = cells[COMMUNE]
        return changes

    def product_changes(self, row: _Row, current: Product) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        if row.cells[PRODUCT] != current.name:
            changes["name"] = row.cells[PRODUCT]
        if row.taxonomy is not None and row.taxonomy.pk != current.taxonomy_id:
            changes["taxonomy"] = row.taxonomy
        if row.cells.get(PRICE) is not None and row.cells[PRICE] != current.list_price:
            changes["list_price"] = row.cells[PRICE]
        return changes

    def count(self, row: _Row) -> None:
        if row.product is None:
            self.report.products_created += 1
        elif self.product_changes(row, row.product):
            self.report.products_updated += 1
        else:
            self.report.products_unchanged += 1
        if row.certificate_new:
            self.report.certificates_created += 1
        elif row.cells.get(DECISION):
            self.report.certificates_skipped += 1

    def preview(self, row: _Row) -> PreviewRow:
        """The row as understood: canonical names and labels where a cell was read, the cell's text if not."""
        cells = row.cells
        values = {
            column: _text(cells[column] if column in cells else row.raw.get(column)) for column in COLUMNS
        }
        if cells.get(KIND):
            values[KIND] = KIND_VI[cells[KIND]]
        if cells.get(LEVEL):
            values[LEVEL] = LEVEL_VI[cells[LEVEL]]
        if row.taxonomy is not None:
            values[GROUP] = row.taxonomy.name
        if cells.get(PRICE) is not None:
            values[PRICE] = f"{cells[PRICE]:,}".replace(",", ".")
        if isinstance(cells.get(COMMUNE), AdministrativeUnit):
            district = _district_of(cells[COMMUNE])
            values[DISTRICT] = district.name if district else ""
        if row.producer is None:
            return PreviewRow(row.number, [values[c] for c in COLUMNS])
        product = (
            "new" if row.product is None else "update" if self.product_changes(row, row.product) else "same"
        )
        certificate = "" if not cells.get(DECISION) else "new" if row.certificate_new else "existing"
        producer = "existing" if row.producer.existing else "new"
        return PreviewRow(row.number, [values[c] for c in COLUMNS], producer, product, certificate)

    # writing

    def write(self, row: _Row) -> None:
        cells, plan, actor = row.cells, row.producer, self.actor
        assert plan is not None
        self.stage = PRODUCER
        if plan.saved is not None:  # a producer's details come from the first row that names it
            pass
        elif plan.existing is None:
            plan.saved = services.producer_save(
                actor=actor,
                name=cells[PRODUCER],
                kind=cells[KIND],
                registration_number=cells[REGISTRATION],
                address=cells[ADDRESS],
                commune=cells[COMMUNE],
            )
        elif changes := self.producer_changes(row, plan.existing):
            plan.saved = services.producer_save(actor=actor, producer=plan.existing, **changes)
        else:
            plan.saved = plan.existing
        self.stage = PRODUCT
        product = row.product
        if product is None:
            product = services.product_save(
                actor=actor,
                producer=plan.saved,
                name=cells[PRODUCT],
                taxonomy=row.taxonomy,
                list_price=cells[PRICE],
            )
            services.product_transition(actor=actor, product=product, to="published")
        elif changes := self.product_changes(row, product):
            product = services.product_save(actor=actor, product=product, **changes)
        if row.certificate_new:
            self.stage = DECISION
            services.certificate_issue(
                actor=actor,
                product=product,
                decision_number=cells[DECISION],
                decision_date=cells[DATE],
                issuer=_issuer(cells[LEVEL], cells[COMMUNE], cells[DATE]),
                deciding_level=cells[LEVEL],
                stars=cells[STARS],
                total_score=cells[SCORE],
            )

    def refused(self, row: _Row, error: DomainError) -> None:
        for name, message in (error.fields or {"": error.message}).items():
            column = _FIELD_COLUMNS.get(name, self.stage)
            self.error(row.number, column, str(message))


def products_import(
    *, actor: Any, data: bytes, commit: bool, progress: Progress | None = None
) -> ImportReport:
    """Check every row of an OCOP product list; with `commit`, and only if no row has an error, write them
    all in one transaction. A service that refuses a row while writing undoes the whole import.

    `progress(done, total)` follows the rows: checked (and, with `commit`, written; total is then twice
    the rows)."""
    report = ImportReport()
    progress = progress or (lambda done, total: None)
    if not can_import(actor):
        report.errors.append(RowError(0, "", "Tài khoản không có quyền nhập danh sách sản phẩm OCOP"))
        return report
    try:
        header, columns, table = _read(data)
    except _NotExcel:
        report.errors.append(RowError(0, "", NOT_EXCEL))
        return report
    if not header:
        message = (
            f"Không tìm thấy dòng tiêu đề (Tên sản phẩm, Chủ thể, …) trong {HEADER_SEARCH_ROWS} dòng đầu"
        )
        report.errors.append(RowError(0, "", message))
        return report
    for title in REQUIRED:
        if title not in columns:
            report.errors.append(RowError(header, title, f"Thiếu cột «{title}»"))
    if report.errors:
        return report
    importer = _Importer(actor, report)
    rows = []
    for number, values in table:
        raw = {title: values[index] if index < len(values) else None for title, index in columns.items()}
        if any(_text(value) for title, value in raw.items() if title != NO):
            rows.append(importer.parse(number, raw))
    report.rows_read = len(rows)
    if not rows:
        report.errors.append(RowError(header + 1, "", "Không có dòng sản phẩm nào dưới dòng tiêu đề"))
        return report
    total = len(rows) * (2 if commit else 1)
    importer.resolve(rows, progress, total)
    report.preview = [importer.preview(row) for row in rows[:PREVIEW_ROWS]]
    for row in rows:
        if row.number not in importer.failed:
            importer.count(row)
    if report.errors or not commit:
        report.errors.sort(key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else -1))
        return report
    try:
        with transaction.atomic():
            for done, row in enumerate(rows, start=len(rows) + 1):
                try:
                    importer.write(row)
                except DomainError as error:
                    importer.refused(row, error)
                    raise _Rollback from error
                except IntegrityError as error:
                    importer.error(row.number, importer.stage, "Trùng với dữ liệu đã có; không ghi được")
                    raise _Rollback from error
                progress(done, total)
    except _Rollback:
        return report
    report.committed = True
    return report
