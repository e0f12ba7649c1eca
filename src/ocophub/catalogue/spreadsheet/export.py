"""Export of product lists in the city's layout."""

import datetime as dt
from collections.abc import Iterable
from io import BytesIO
from typing import Any

from django.db.models import Prefetch, QuerySet

from ocophub.accounts import permissions
from ocophub.accounts.permissions import covers_unit, is_city_admin
from ocophub.common.dates import local_today
from ocophub.places.models import AdministrativeUnit, Level

from ..models import (
    Certificate,
    Producer,
    Product,
)
from .layout import (
    COLUMN_WIDTHS,
    COLUMNS,
    DATE,
    KIND_VI,
    LEVEL_VI,
    PRICE,
    REGISTRATION,
)


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


def district_of(commune: AdministrativeUnit) -> AdministrativeUnit | None:
    parent = commune.parent if commune.parent_id else None
    return parent if parent is not None and parent.level == Level.DISTRICT else None


def products_export(products: Iterable[Product]) -> bytes:
    """The products as the city's list: one row each, with its latest valid certificate (or none)."""
    if isinstance(products, QuerySet):
        products = products.select_related("producer__commune__parent", "taxonomy").prefetch_related(
            Prefetch("certificates", queryset=Certificate.objects.order_by("-decision_date", "-pk"))
        )
    from openpyxl import Workbook  # imported when a file is made (see common.xlsx)
    from openpyxl.styles import Alignment, Font, PatternFill

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
        district = district_of(producer.commune)
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
