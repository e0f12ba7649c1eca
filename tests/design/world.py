"""A design world shared by the design studio's tests: two operating centers with a manager and
designers each, two producers with products and members, a funding commitment to center A, and
builders of real files (images, PDF, SVG, PSD) and of requests in any state."""

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from ocophub.accounts.models import Role
from ocophub.catalogue import services as catalogue
from ocophub.catalogue.models import Producer, Product
from ocophub.centers.models import Center
from ocophub.common.dates import local_today
from ocophub.design import services
from ocophub.design.models import DesignRequest, Payer
from ocophub.places import selectors as places
from ocophub.programme.models import Commitment
from ocophub.programme.services import commitment_create

from ..conftest import make_user
from ..sales.world import make_center


@dataclass
class DesignWorld:
    center_a: Center
    center_b: Center
    producer_a: Producer
    producer_b: Producer
    jar: Product  # producer A
    vase: Product  # producer A
    tea: Product  # producer B
    commitment_a: Commitment  # 20.000.000 ₫ to center A
    commitment_b: Commitment  # to center B
    manager_a: Any
    designer_a: Any
    designer_a2: Any
    manager_b: Any
    designer_b: Any
    member_a: Any
    member_b: Any
    city: Any


def png(
    name: str = "mau.png", size: tuple[int, int] = (64, 48), color: str = "#2a6f97"
) -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def jpeg(name: str = "anh.jpg") -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (80, 60), "#c0392b").save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf(name: str = "ban-in.pdf") -> SimpleUploadedFile:
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def svg(name: str = "logo.svg") -> SimpleUploadedFile:
    body = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    )
    return SimpleUploadedFile(name, body, content_type="image/svg+xml")


def psd(name: str = "goc.psd") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"8BPS\x00\x01" + b"\x00" * 64, content_type="image/vnd.adobe.photoshop")


def build() -> DesignWorld:
    """Needs Hanoi's places and the reference catalogue (the `loaded_places` fixture and reference_load)."""
    from ocophub.catalogue.demo import reference_load

    reference_load()
    center_a = make_center("Trung tâm OCOP Bát Tràng (thiết kế)", 583)
    center_b = make_center("Trung tâm OCOP Duyên Thái (thiết kế)", 10192)
    producer_a = catalogue.producer_save(
        actor=None, name="HTX Gốm Chu Đậu (thử)", kind="cooperative", commune=places.commune_by_code(583)
    )
    producer_b = catalogue.producer_save(
        actor=None, name="Hộ Sơn Mài Hạ Thái (thử)", kind="household", commune=places.commune_by_code(10192)
    )
    jar = catalogue.product_save(actor=None, producer=producer_a, name="Hũ gốm men rạn", list_price=250_000)
    vase = catalogue.product_save(
        actor=None, producer=producer_a, name="Bình hoa gốm lam", list_price=450_000
    )
    tea = catalogue.product_save(
        actor=None, producer=producer_b, name="Hộp sơn mài đựng trà", list_price=320_000
    )
    for product in (jar, vase, tea):
        catalogue.product_transition(actor=None, product=product, to="published")
    commitment_a = commitment_create(
        actor=None,
        center=center_a,
        source="state_city",
        amount=20_000_000,
        committed_on=dt.date(2025, 3, 1),
        document="QĐ 12/2025 hỗ trợ thiết kế",
    )
    commitment_b = commitment_create(
        actor=None,
        center=center_b,
        source="state_district",
        amount=10_000_000,
        committed_on=dt.date(2025, 3, 1),
        document="QĐ 13/2025",
    )
    return DesignWorld(
        center_a=center_a,
        center_b=center_b,
        producer_a=producer_a,
        producer_b=producer_b,
        jar=jar,
        vase=vase,
        tea=tea,
        commitment_a=commitment_a,
        commitment_b=commitment_b,
        manager_a=make_user(Role.CENTER_MANAGER, scope_id=center_a.pk),
        designer_a=make_user(Role.DESIGNER, scope_id=center_a.pk),
        designer_a2=make_user(Role.DESIGNER, scope_id=center_a.pk),
        manager_b=make_user(Role.CENTER_MANAGER, scope_id=center_b.pk),
        designer_b=make_user(Role.DESIGNER, scope_id=center_b.pk),
        member_a=make_user(Role.PRODUCER_MEMBER, scope_id=producer_a.pk),
        member_b=make_user(Role.PRODUCER_MEMBER, scope_id=producer_b.pk),
        city=make_user(Role.CITY_ADMIN),
    )


def submit(w: DesignWorld, **overrides: Any) -> DesignRequest:
    """Producer A asks center A for a label for its jar, paid by the producer, with a reference photo."""
    fields: dict[str, Any] = {
        "actor": w.member_a,
        "producer": w.producer_a,
        "center": w.center_a,
        "kind": "label",
        "title": "Nhãn mới cho hũ gốm",
        "products": [w.jar],
        "brief": "Nhãn hiện đại, giữ họa tiết men rạn truyền thống.",
        "wished_on": local_today() + dt.timedelta(days=30),
        "budget": 3_000_000,
        "payer": Payer.PRODUCER,
        "references": [png("nhan-cu.png")],
    }
    fields.update(overrides)
    return services.design_request_submit(**fields)


# the states a request can be brought to by `advance`, in the order of the happy path
PATH = (
    "submitted",
    "accepted",
    "in_progress",
    "proposal_sent",
    "changes_requested",
    "approved",
    "delivered",
    "closed",
)


def advance(w: DesignWorld, request: DesignRequest, to: str) -> DesignRequest:
    """Walk `request` along the happy path up to state `to` (a second proposal after the changes)."""
    order = list(PATH)
    while request.state != to:
        state = request.state
        if order.index(state) >= order.index(to):
            raise ValueError(f"{state} is past {to}")
        if state == "submitted":
            request = services.design_request_accept(
                actor=w.manager_a,
                request=request,
                designer=w.designer_a,
                due_on=local_today() + dt.timedelta(days=20),
                price=2_500_000,
            )
        elif state == "accepted":
            request = services.design_request_start(actor=w.designer_a, request=request)
        elif state == "in_progress":
            services.design_version_send(
                actor=w.designer_a, request=request, note="Phương án 1", files=[png("v1.png")]
            )
        elif state == "proposal_sent" and to == "changes_requested":
            services.design_changes_request(actor=w.member_a, request=request, comment="Chữ to hơn.")
        elif state == "proposal_sent":
            request = services.design_request_approve(
                actor=w.member_a, request=request, accept_terms=True, portfolio_allowed=True
            )
        elif state == "changes_requested":
            services.design_version_send(
                actor=w.designer_a, request=request, note="Phương án 2", files=[png("v2.png")]
            )
        elif state == "approved":
            services.design_request_deliver(
                actor=w.designer_a, request=request, note="Tệp in", files=[png("final.png"), pdf()]
            )
        elif state == "delivered":
            request = services.design_request_close(actor=w.manager_a, request=request)
        request = DesignRequest.objects.get(pk=request.pk)
    return request


def into(ctx: Any) -> None:
    """Add design requests to the route matrix's context (after the selling world, tests/sales/world.py).

    ctx.designer_a works at center A (ctx.designer_b at B); producer A's requests at center A:
    ctx.design_submitted (new), ctx.design_proposal (proposal 1 sent, assigned to designer A),
    ctx.design_approved, ctx.design_delivered (delivered, allowed in the portfolio);
    ctx.design_reference and ctx.design_proposal_file are files of ctx.design_proposal;
    ctx.design_commitment is a commitment to center A the subsidies may draw on.
    """
    w = ctx.world
    ctx.designer_a = make_user(Role.DESIGNER, scope_id=w.center_a.pk)
    ctx.designer_b = make_user(Role.DESIGNER, scope_id=w.center_b.pk)
    ctx.design_commitment = commitment_create(
        actor=None,
        center=w.center_a,
        source="state_city",
        amount=50_000_000,
        committed_on=dt.date(2025, 3, 1),
        document="QĐ 21/2025 hỗ trợ thiết kế",
    )
    shim = DesignWorld(
        center_a=w.center_a,
        center_b=w.center_b,
        producer_a=w.producer_a,
        producer_b=w.producer_b,
        jar=w.bowl,
        vase=w.bowl,
        tea=w.tea,
        commitment_a=ctx.design_commitment,
        commitment_b=ctx.design_commitment,
        manager_a=w.manager_a,
        designer_a=ctx.designer_a,
        designer_a2=ctx.designer_a,
        manager_b=w.manager_b,
        designer_b=ctx.designer_b,
        member_a=w.member_a,
        member_b=w.member_b,
        city=None,
    )
    ctx.design_world = shim
    ctx.design_submitted = submit(shim, title="Bao bì hộp quà bát gốm")
    ctx.design_proposal = advance(shim, submit(shim, title="Nhãn bát men lam"), "proposal_sent")
    ctx.design_approved = advance(shim, submit(shim, kind="packaging", title="Hộp giấy bát"), "approved")
    ctx.design_delivered = advance(shim, submit(shim, kind="brand", title="Bộ nhận diện HTX"), "delivered")
    ctx.design_reference = ctx.design_proposal.files.get(role="reference")
    ctx.design_proposal_file = ctx.design_proposal.files.get(role="proposal")
