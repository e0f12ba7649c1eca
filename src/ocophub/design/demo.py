"""Demo design requests at the Bát Tràng center, for the Bát Tràng potters' cooperative: one in each
step of the studio's work, two in the public portfolio and one the producer kept out of it.

Everything is illustrative (marked is_illustrative) and made through the services, as the producer,
the center's manager and its designer would make it, so the events, versions and files are real.
The pictures are drawn by demo_pictures. Safe to run again: a request already there (by producer and
title) is left alone; a missing one is made whole in one transaction.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from ocophub.accounts import services as accounts
from ocophub.accounts.demo import DEMO_PASSWORD
from ocophub.accounts.models import Role, User
from ocophub.catalogue.models import Producer, Product
from ocophub.centers.models import Center
from ocophub.common.dates import local_today
from ocophub.sales.demo import FLAGSHIP

from . import demo_pictures as pictures
from . import services
from .models import DesignKind, DesignRequest, RequestState

DESIGNER_LOGIN = "thietke.battrang@ocophub.vn"
MANAGER_LOGIN = "quanly.battrang@ocophub.vn"
MEMBER_LOGIN = "htx.battrang@ocophub.vn"
Drawing = Callable[[str], bytes]
# a one-page PDF standing for the print-ready files
PRINT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass(frozen=True)
class DemoRequest:
    title: str
    kind: str
    products: tuple[str, ...]  # fragments of the products' names
    state: str  # how far the request goes
    brief: str
    before: Drawing
    after: Drawing
    allowed: bool = True  # the producer's portfolio choice on approval
    current: str = ""  # set as the product's current label or package once delivered


REQUESTS: tuple[DemoRequest, ...] = (
    DemoRequest(
        "Hộp giấy cho bộ ấm chén men rạn",
        DesignKind.PACKAGING,
        ("ấm chén",),
        RequestState.CLOSED,
        "Hộp quà in màu đỏ son, có ô nhìn thấy bộ ấm chén; chịu được vận chuyển xa.",
        pictures.box_before,
        pictures.box_after,
        current=DesignKind.PACKAGING,
    ),
    DemoRequest(
        "Nhãn mới cho bình hút lộc men lam",
        DesignKind.LABEL,
        ("Bình hút lộc",),
        RequestState.DELIVERED,
        "Nhãn thay cho tem giấy trắng: tên làng gốm, họa tiết sen, mã truy xuất OCOP.",
        pictures.jar_label_before,
        pictures.jar_label_after,
        current=DesignKind.LABEL,
    ),
    DemoRequest(
        "Kệ trưng bày gian hàng hội chợ",
        DesignKind.DISPLAY,
        ("Bình hút lộc", "ấm chén", "Đĩa gốm"),
        RequestState.DELIVERED,
        "Kệ gỗ tháo lắp cho gian hàng 3 × 3 m, trưng được ba dòng sản phẩm.",
        pictures.sign_before,
        pictures.box_after,
        allowed=False,
    ),
    DemoRequest(
        "Logo và bộ nhận diện của hợp tác xã",
        DesignKind.BRAND,
        ("Bình hút lộc", "ấm chén", "Đĩa gốm"),
        RequestState.PROPOSAL_SENT,
        "Logo dấu tròn gợi lò gốm, dùng trên nhãn, hộp, biển hiệu và trang mạng.",
        pictures.sign_before,
        pictures.logo_after,
    ),
    DemoRequest(
        "Bộ ảnh sản phẩm đĩa gốm vẽ tay",
        DesignKind.PHOTOGRAPHY,
        ("Đĩa gốm",),
        RequestState.IN_PROGRESS,
        "Mười ảnh nền trắng và ba ảnh bối cảnh bàn ăn cho trang sản phẩm.",
        pictures.box_before,
        pictures.box_after,
    ),
    DemoRequest(
        "Hộp quà Tết cho đĩa gốm vẽ tay",
        DesignKind.PACKAGING,
        ("Đĩa gốm",),
        RequestState.SUBMITTED,
        "Hộp đựng đôi đĩa làm quà Tết, giá in dưới 40.000 ₫ một hộp.",
        pictures.box_before,
        pictures.box_after,
    ),
)
ORDER = (
    RequestState.SUBMITTED,
    RequestState.ACCEPTED,
    RequestState.IN_PROGRESS,
    RequestState.PROPOSAL_SENT,
    RequestState.APPROVED,
    RequestState.DELIVERED,
    RequestState.CLOSED,
)


def _account(email: str, name: str, role: str, scope_id: int) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = accounts.user_create(actor=None, full_name=name, email=email, password=DEMO_PASSWORD)
    accounts.role_grant(actor=None, user=user, role=role, scope_id=scope_id)
    return user


def _jpeg(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def _reaches(spec: DemoRequest, state: str) -> bool:
    return ORDER.index(spec.state) >= ORDER.index(state)


def _make(
    spec: DemoRequest, *, producer: Producer, center: Center, member: User, manager: User, designer: User
) -> DesignRequest:
    today = local_today()
    products = [
        product
        for fragment in spec.products
        if (
            product := Product.objects.filter(producer=producer, name__contains=fragment)
            .order_by("pk")
            .first()
        )
    ]
    request = services.design_request_submit(
        actor=member,
        producer=producer,
        center=center,
        kind=spec.kind,
        title=spec.title,
        products=products,
        brief=spec.brief,
        wished_on=today + dt.timedelta(days=45),
        budget=4_000_000,
        references=[_jpeg("hien-trang.jpg", spec.before(spec.title))],
    )
    # demo data only: the service makes real requests; this one is marked as invented
    DesignRequest.objects.filter(pk=request.pk).update(is_illustrative=True)
    if _reaches(spec, RequestState.ACCEPTED):
        request = services.design_request_accept(
            actor=manager,
            request=request,
            designer=designer,
            due_on=today + dt.timedelta(days=30),
            price=3_500_000,
        )
    if _reaches(spec, RequestState.IN_PROGRESS):
        request = services.design_request_start(actor=designer, request=request)
    if _reaches(spec, RequestState.PROPOSAL_SENT):
        services.design_version_send(
            actor=designer,
            request=request,
            note="Phương án 1, theo đúng yêu cầu.",
            files=[_jpeg("phuong-an-1.jpg", spec.after(spec.title))],
        )
    if _reaches(spec, RequestState.APPROVED):
        request = services.design_request_approve(
            actor=member, request=request, accept_terms=True, portfolio_allowed=spec.allowed
        )
    if _reaches(spec, RequestState.DELIVERED):
        services.design_request_deliver(
            actor=designer,
            request=request,
            note="Tệp in và ảnh hoàn thiện.",
            files=[
                _jpeg("hoan-thien.jpg", spec.after(spec.title)),
                SimpleUploadedFile("ban-in.pdf", PRINT_PDF, content_type="application/pdf"),
            ],
        )
        request = DesignRequest.objects.get(pk=request.pk)
        if spec.current:
            for product in products:
                services.product_design_set(actor=member, request=request, product=product, kind=spec.current)
    if _reaches(spec, RequestState.CLOSED):
        request = services.design_request_close(actor=manager, request=request)
    return request


def demo_design_create() -> int:
    """Create the demo design requests that are missing; returns how many were made (0 without the
    Bát Tràng center or its potters)."""
    center = Center.objects.filter(name=FLAGSHIP).first()
    producer = Producer.objects.filter(craft_village__slug="bat-trang").order_by("pk").first()
    if center is None or producer is None:
        return 0
    made = 0
    with transaction.atomic():
        manager = _account(MANAGER_LOGIN, "Trần Văn Quản", Role.CENTER_MANAGER, center.pk)
        designer = _account(DESIGNER_LOGIN, "Đỗ Thị Mai", Role.DESIGNER, center.pk)
        member = _account(MEMBER_LOGIN, "Phạm Văn Gốm", Role.PRODUCER_MEMBER, producer.pk)
    for spec in REQUESTS:
        if DesignRequest.objects.filter(producer=producer, title=spec.title).exists():
            continue
        with transaction.atomic():
            _make(spec, producer=producer, center=center, member=member, manager=manager, designer=designer)
        made += 1
    return made
