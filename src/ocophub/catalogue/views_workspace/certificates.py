"""The certificates of a producer's products, with the state each is in today."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from ocophub.common.dates import local_today

from ..models import Certificate, CertificateState, Producer
from .pages import producer_or_404, workspace_page


@dataclass
class CertificateRow:
    certificate: Certificate
    state: str
    days_left: int

    @property
    def expired(self) -> bool:
        return self.state == CertificateState.EXPIRED


def _certificate_rows(producer: Producer, day: dt.date) -> list[CertificateRow]:
    rows = (
        Certificate.objects.filter(product__producer=producer)
        .select_related("product")
        .order_by("-valid_until", "-pk")
    )
    return [CertificateRow(c, c.state_on(day), (c.valid_until - day).days) for c in rows]


@login_required
@require_GET
def certificates(request: HttpRequest, slug: str) -> HttpResponse:
    """The OCOP certificates of the producer's products: stars, valid until, days left."""
    producer = producer_or_404(request, slug)
    return workspace_page(
        request,
        "certificates.html",
        producer,
        "certificates",
        {
            "rows": _certificate_rows(producer, local_today()),
            "states": CertificateState,
        },
    )
