"""Looking up the places, rules and files an import refers to; reading the workbook."""

import datetime as dt
from decimal import Decimal
from io import BytesIO
from itertools import islice

from ocophub.common.text import fold
from ocophub.places.models import AdministrativeUnit, Era, Level

from ..models import (
    DecidingLevel,
    Product,
    RuleSet,
    StarBand,
    StarDecider,
    TaxonomyNode,
)
from .cells import (
    HEADERS,
    CellError,
    header_key,
)
from .export import (
    district_of,
)
from .layout import (
    DISTRICT,
    HEADER_SEARCH_ROWS,
    LEVEL_VI,
    MINISTRY_MERGER,
    PLACE_PREFIXES,
    PRODUCER,
    PRODUCT,
)


def _latest(units: list[AdministrativeUnit]) -> AdministrativeUnit:
    return max(units, key=lambda u: u.valid_to or dt.date.max)


class PlaceLookup:
    """Hanoi's districts and communes in memory, found by folded name with or without "Xã", "Huyện"…"""

    def __init__(self) -> None:
        self.exact: dict[str, list[AdministrativeUnit]] = {}
        self.loose: dict[str, list[AdministrativeUnit]] = {}
        units = AdministrativeUnit.objects.filter(level__in=(Level.DISTRICT, Level.COMMUNE)).select_related(
            "parent"
        )
        for unit in units:
            self.exact.setdefault(unit.folded_name, []).append(unit)
            for prefix in PLACE_PREFIXES:
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
                raise CellError(f"Không tìm thấy quận/huyện «{district_name}»", DISTRICT)
            ids = {d.pk for d in districts}
            found = [u for u in self._find(name, Level.COMMUNE) if u.parent_id in ids]
            if not found:
                raise CellError(f"Không tìm thấy xã/phường «{name}» thuộc {districts[0].name}")
            return _latest(found)
        found = self._find(name, Level.COMMUNE)
        current = [u for u in found if u.era == Era.CURRENT]
        if len(current) == 1:
            return current[0]
        if not found:
            raise CellError(f"Không tìm thấy xã/phường «{name}»")
        if current or len({u.parent_id for u in found}) > 1:
            raise CellError(f"Có nhiều xã/phường tên «{name}»: hãy ghi cả Quận/huyện")
        return _latest(found)


class RuleLookup:
    """Rule sets, star bands and the taxonomy in memory (a few dozen rows)."""

    def __init__(self) -> None:
        self.nodes = list(TaxonomyNode.objects.select_related("rule_set"))
        self.rule_sets = list(RuleSet.objects.order_by("-valid_from"))
        self.bands: dict[int, list[StarBand]] = {}
        for band in StarBand.objects.order_by("-stars"):
            self.bands.setdefault(band.rule_set_id, []).append(band)
        self.deciders: dict[tuple[int, int], list[str]] = {}
        for decider in StarDecider.objects.order_by("level"):
            self.deciders.setdefault((decider.rule_set_id, decider.stars), []).append(decider.level)

    def rule_set_on(self, day: dt.date) -> RuleSet | None:
        return next(
            (r for r in self.rule_sets if r.valid_from <= day and (r.valid_to is None or day <= r.valid_to)),
            None,
        )

    def stars_for(self, rule_set: RuleSet, total: Decimal) -> int | None:
        return next(
            (b.stars for b in self.bands.get(rule_set.pk, []) if b.min_score <= total <= b.max_score), None
        )

    def decider_refusal(self, rule_set: RuleSet, stars: int, level: str) -> str:
        """Why `level` may not decide `stars` under the rule set, naming who does; empty when it may."""
        levels = self.deciders.get((rule_set.pk, stars), [])
        if level in levels:
            return ""
        if not levels:
            return (
                f"Chưa có cấp nào được ghi nhận công nhận sản phẩm {stars} sao theo QĐ {rule_set.code}/QĐ-TTg"
            )
        who = " hoặc ".join(_level_phrase(name) for name in levels)
        return (
            f"Theo QĐ {rule_set.code}/QĐ-TTg, sản phẩm {stars} sao do {who} công nhận, "
            f"không phải {_level_phrase(level)}"
        )

    def node(self, text: str, product: Product | None, day: dt.date | None) -> TaxonomyNode | None:
        """A product group by name or code. Several groups share a name across rule sets: the product's
        own comes first, then that of the certificate's rule set, then the newest rule set's."""
        if not text:
            return None
        folded = fold(text)
        found = [n for n in self.nodes if n.folded_name == folded or n.code == text]
        if not found:
            raise CellError(f"Không tìm thấy nhóm sản phẩm «{text}»")
        rule_set = self.rule_set_on(day) if day else None

        def preference(node: TaxonomyNode) -> tuple:
            return (
                product is not None and node.pk == product.taxonomy_id,
                rule_set is not None and node.rule_set_id == rule_set.pk,
                node.rule_set.valid_from,
                -node.position,
            )

        return max(found, key=preference)


def _level_phrase(level: str) -> str:
    """A level as a sentence names it: "cấp huyện", "Trung ương"."""
    label = LEVEL_VI[level]
    return label if level == DecidingLevel.CENTRAL else label[0].lower() + label[1:]


def issuer_for(level: str, commune: AdministrativeUnit, day: dt.date) -> str:
    if level == DecidingLevel.CENTRAL:
        return (
            "Bộ Nông nghiệp và Môi trường"
            if day >= MINISTRY_MERGER
            else "Bộ Nông nghiệp và Phát triển nông thôn"
        )
    if level == DecidingLevel.PROVINCE:
        return "UBND Thành phố Hà Nội"
    if level == DecidingLevel.DISTRICT:
        district = district_of(commune)
        return f"UBND {district.name}" if district else "UBND cấp huyện"
    return f"UBND {commune.name}"


# --- reading the workbook -------------------------------------------------------------------


class NotExcel(Exception):
    pass


class Rollback(Exception):
    pass


def read_sheet(data: bytes) -> tuple[int, dict[str, int], list[tuple[int, tuple]]]:
    """The header row's number (0: none found), the column index of each title, and the rows below."""
    if not data.startswith(b"PK\x03\x04"):
        raise NotExcel
    from openpyxl import load_workbook  # imported when a file is read (see common.xlsx)

    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of error on a damaged or foreign file
        raise NotExcel from error
    try:
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()  # some writers record a wrong size; read every row there is
            top = islice(sheet.iter_rows(values_only=True), HEADER_SEARCH_ROWS)
            for number, values in enumerate(top, start=1):
                columns: dict[str, int] = {}
                for index, value in enumerate(values):
                    title = HEADERS.get(header_key(value))
                    if title is not None:
                        columns.setdefault(title, index)
                if PRODUCT in columns and PRODUCER in columns:
                    below = islice(sheet.iter_rows(values_only=True), number, None)
                    return number, columns, list(enumerate(below, start=number + 1))
    except Exception as error:  # a damaged sheet fails while it is read, not when it is opened
        raise NotExcel from error
    finally:
        workbook.close()
    return 0, {}, []


# --- the import -----------------------------------------------------------------------------
