"""The all-or-nothing import of product lists (rules in the package docstring)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q

from ocophub.accounts.permissions import covers_unit, is_city_admin
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError
from ocophub.common.text import fold
from ocophub.places.models import AdministrativeUnit

from .. import services
from ..models import (
    Certificate,
    Producer,
    Product,
    TaxonomyNode,
)
from .cells import (
    PARSERS,
    CellError,
    cell_text,
    kind_from_name,
)
from .export import (
    can_import,
    district_of,
)
from .layout import (
    ADDRESS,
    CERTIFICATE_COLUMNS,
    COLUMNS,
    COMMUNE,
    DATE,
    DECISION,
    DISTRICT,
    GROUP,
    HEADER_SEARCH_ROWS,
    KIND,
    KIND_VI,
    LEVEL,
    LEVEL_VI,
    NO,
    NOT_EXCEL,
    PREVIEW_ROWS,
    PRICE,
    PRODUCER,
    PRODUCT,
    REGISTRATION,
    REQUIRED,
    SCORE,
    STARS,
    ImportReport,
    PreviewRow,
    Progress,
    RowError,
)
from .lookups import (
    NotExcel,
    PlaceLookup,
    Rollback,
    RuleLookup,
    issuer_for,
    read_sheet,
)


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
        self.places, self.rules = PlaceLookup(), RuleLookup()
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
                cells[column] = PARSERS.get(column, cell_text)(raw.get(column))
            except CellError as error:
                self.error(number, column, str(error))
        for column, label in ((PRODUCT, "tên sản phẩm"), (PRODUCER, "tên chủ thể"), (COMMUNE, "xã/phường")):
            if column in cells and not cells[column]:
                self.error(number, column, f"Thiếu {label}")
        if cells.get(COMMUNE):
            try:
                cells[COMMUNE] = self.places.commune(cells[COMMUNE], cells[DISTRICT])
            except CellError as error:
                self.error(number, error.column or COMMUNE, str(error))
                del cells[COMMUNE]
            else:
                if not self.may_edit(cells[COMMUNE]):
                    self.error(number, COMMUNE, f"Tài khoản không được giao quản lý {cells[COMMUNE].name}")
        if cells.get(PRODUCER) and not cells.get(KIND) and KIND in cells:
            cells[KIND] = kind_from_name(cells[PRODUCER])
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
        except CellError as error:
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
        if (
            rule_set is not None
            and stars is not None
            and 3 <= stars <= 5
            and not self.failed_in(number, [DATE])
        ):
            refused = self.rules.decider_refusal(rule_set, stars, cells[LEVEL])
            if refused:
                self.error(number, LEVEL, refused)

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
            column: cell_text(cells[column] if column in cells else row.raw.get(column)) for column in COLUMNS
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
            district = district_of(cells[COMMUNE])
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
                issuer=issuer_for(cells[LEVEL], cells[COMMUNE], cells[DATE]),
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
        header, columns, table = read_sheet(data)
    except NotExcel:
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
        if any(cell_text(value) for title, value in raw.items() if title != NO):
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
                    raise Rollback from error
                except IntegrityError as error:
                    importer.error(row.number, importer.stage, "Trùng với dữ liệu đã có; không ghi được")
                    raise Rollback from error
                progress(done, total)
    except Rollback:
        return report
    report.committed = True
    return report
