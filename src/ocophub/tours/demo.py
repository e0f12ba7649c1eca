"""Demo tours through the demo centers and craft villages, all illustrative: a day in the ceramic
villages of Bát Tràng and Kim Lan (with the pottery workshop of the events demo when it is there),
Vạn Phúc silk, Chuyên Mỹ mother-of-pearl inlay with Hạ Thái lacquer, and the ancient village of
Đường Lâm. Two operators: the Department of Tourism and an invented licensed company with a member
account (`OPERATOR_LOGIN`). Departures over the coming weeks, a few bookings, pictures drawn by the
program (demo_pictures).

Made through the services. Safe to run again: an operator or tour already there (by its name or
title) is left alone.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from ocophub.accounts import services as accounts
from ocophub.accounts.demo import DEMO_PASSWORD
from ocophub.accounts.models import Role, User
from ocophub.centers.models import Center
from ocophub.events.models import EventKind, Session, SessionState
from ocophub.places.models import CraftVillage

from . import demo_pictures as pictures
from . import services
from .models import BookingType, Operator, OperatorKind, Tour

OPERATOR_LOGIN = "dieuhanh.langnghe@ocophub.vn"
COMPANY = "Công ty Lữ hành Làng Nghề Việt (minh họa)"
DEPARTMENT = "Sở Du lịch Hà Nội"
# the Opera House square: where city tours commonly gather
MEETING = ("Quảng trường Nhà hát Lớn Hà Nội, 1 Tràng Tiền", "21.024200", "105.857500")
SOURCE = "Minh họa: lịch trình, giá và chỗ do chương trình tạo, không lấy từ nguồn nào."


@dataclass
class DemoTour:
    title: str
    operator: str
    summary: str
    description: str
    scenes: tuple[str, ...]
    stops: list[dict[str, Any]]
    adult_price: int
    child_price: int
    rule: dict[str, Any] | None = None
    start_time: dt.time = dt.time(8, 0)
    seats: int = 29
    booking_type: str = BookingType.INSTANT
    languages: list[str] = field(default_factory=lambda: ["vi", "en"])
    included: str = "Xe đưa đón, hướng dẫn viên, vé tham quan, bữa trưa, nước uống."
    excluded: str = "Mua sắm cá nhân, đồ uống ngoài bữa ăn, tiền tip."


def _center(fragment: str) -> Center | None:
    return Center.objects.filter(name__contains=fragment).order_by("pk").first()


def _village(slug: str) -> CraftVillage | None:
    return CraftVillage.objects.filter(slug=slug).order_by("pk").first()


def _workshop() -> Session | None:
    """The first coming session of the events demo's pottery workshop at Bát Tràng."""
    return (
        Session.objects.filter(
            event__kind=EventKind.WORKSHOP,
            event__center__name__contains="Bát Tràng",
            state=SessionState.SCHEDULED,
            starts_at__gt=timezone.now() + dt.timedelta(days=2),
        )
        .select_related("event")
        .order_by("starts_at")
        .first()
    )


def _operators() -> dict[str, Operator]:
    found = {o.name: o for o in Operator.objects.filter(name__in=[COMPANY, DEPARTMENT])}
    if DEPARTMENT not in found:
        found[DEPARTMENT] = services.operator_create(
            actor=None,
            name=DEPARTMENT,
            kind=OperatorKind.DEPARTMENT,
            contact_name="Phòng Quản lý lữ hành",
            phone="024 3825 7135",
            email="dulich.demo@ocophub.vn",
            is_illustrative=True,
        )
    if COMPANY not in found:
        found[COMPANY] = services.operator_create(
            actor=None,
            name=COMPANY,
            kind=OperatorKind.COMPANY,
            licence_number="01-0000/2026/MINHHOA-GP LHQT",
            contact_name="Trần Minh Đức",
            phone="0912 000 777",
            email="dieuhanh@langngheviet.example",
            bank_bin="970436",
            bank_name="Vietcombank",
            account_number="0011000000777",
            account_holder="CONG TY LU HANH LANG NGHE VIET",
            is_illustrative=True,
        )
    return found


def _member(operator: Operator) -> User:
    user = User.objects.filter(email=OPERATOR_LOGIN).first()
    if user is None:
        user = accounts.user_create(
            actor=None, full_name="Trần Minh Đức", email=OPERATOR_LOGIN, password=DEMO_PASSWORD
        )
    accounts.role_grant(actor=None, user=user, role=Role.OPERATOR_MEMBER, scope_id=operator.pk)
    return user


def _place(kind: str, ref: Any, minutes: int, **more: Any) -> dict[str, Any] | None:
    if ref is None:
        return None
    key = {"center": "center", "village": "craft_village", "workshop": "session"}[kind]
    return {"kind": kind, key: ref.pk, "minutes": minutes, **more}


def _meal(title: str, lat: str, lng: str, minutes: int = 60, note: str = "") -> dict[str, Any]:
    return {
        "kind": "meal",
        "title": title,
        "latitude": lat,
        "longitude": lng,
        "minutes": minutes,
        "note": note,
    }


def _specs(workshop: Session | None) -> list[DemoTour]:
    ceramics = [
        _place("center", _center("Bát Tràng"), 75, note="Gian trưng bày gốm OCOP, khu trình diễn bàn xoay."),
        _place("workshop", workshop, 150, title="Tự tay nặn gốm trên bàn xoay") if workshop else None,
        _meal("Cơm trưa làng gốm Bát Tràng", "20.974800", "105.911900", note="Món quê: canh cá, rau muống."),
        _place("center", _center("Kim Lan"), 90, note="Bảo tàng gốm cổ Kim Lan, đồ gốm khai quật bên đê."),
    ]
    return [
        DemoTour(
            title="Một ngày làng gốm Bát Tràng – Kim Lan (minh họa)",
            operator=COMPANY,
            summary="Lò gốm, chợ gốm, tự nặn một chiếc bát và gốm cổ bên bờ sông Hồng.",
            description=(
                "Đi qua cầu Vĩnh Tuy về làng gốm Bát Tràng: xem nghệ nhân vuốt gốm, dạo chợ gốm, rồi tự "
                "tay nặn một chiếc bát trong buổi học của trung tâm. Buổi chiều sang Kim Lan xem gốm cổ "
                "khai quật bên đê. " + SOURCE
            ),
            scenes=("ceramics", "ceramics"),
            stops=[stop for stop in ceramics if stop],
            adult_price=850_000,
            child_price=550_000,
            # weekend mornings, as the pottery workshop runs: each departure takes the session of its day
            rule={"freq": "weekly", "byweekday": ["SA", "SU"]},
            start_time=dt.time(7, 45),
        ),
        DemoTour(
            title="Lụa Vạn Phúc nửa ngày (minh họa)",
            operator=DEPARTMENT,
            summary="Khung cửi, nhuộm tơ và phố lụa của làng dệt nghìn năm ở Hà Đông.",
            description=(
                "Trung tâm OCOP lụa Vạn Phúc: trình diễn dệt, phân biệt lụa tơ tằm; sau đó dạo phố lụa và "
                "đình làng. " + SOURCE
            ),
            scenes=("silk",),
            stops=[
                stop
                for stop in (
                    _place("center", _center("Vạn Phúc"), 90, note="Trình diễn dệt lụa trên khung cửi."),
                    _place("village", _village("van-phuc"), 60, title="Phố lụa và đình Vạn Phúc"),
                )
                if stop
            ],
            adult_price=450_000,
            child_price=250_000,
            rule={"freq": "weekly", "byweekday": ["WE", "SA"]},
            start_time=dt.time(8, 30),
            seats=16,
            languages=["vi", "en", "fr"],
            included="Xe đưa đón, hướng dẫn viên, nước uống.",
        ),
        DemoTour(
            title="Khảm trai Chuyên Mỹ và sơn mài Hạ Thái (minh họa)",
            operator=COMPANY,
            summary="Hai làng nghề phía nam Hà Nội: sơn mài nhiều lớp và khảm xà cừ tinh xảo.",
            description=(
                "Buổi sáng ở Hạ Thái (Duyên Thái) xem các lớp sơn ta, mài và vẽ; trưa ăn ở Thường Tín; "
                "chiều về Chuyên Mỹ, nơi nghệ nhân cưa, mài và gắn từng mảnh trai. Đặt theo yêu cầu: đơn "
                "vị xác nhận trong 24 giờ. " + SOURCE
            ),
            scenes=("lacquer", "lacquer"),
            stops=[
                stop
                for stop in (
                    _place("center", _center("Hạ Thái"), 90, note="Xưởng sơn mài: bó hom, thếp bạc, mài."),
                    _meal("Cơm trưa Thường Tín", "20.835000", "105.860000"),
                    _place("center", _center("Chuyên Mỹ"), 120, note="Khảm trai trên gỗ và trên sơn mài."),
                )
                if stop
            ],
            adult_price=990_000,
            child_price=600_000,
            rule={"freq": "weekly", "byweekday": ["SU"]},
            booking_type=BookingType.ON_REQUEST,
        ),
        DemoTour(
            title="Làng cổ Đường Lâm (minh họa)",
            operator=DEPARTMENT,
            summary="Cổng làng, nhà đá ong, đình Mông Phụ và chè lam, tương, kẹo dồi của xứ Đoài.",
            description=(
                "Làng cổ Đường Lâm ở Sơn Tây: đi bộ giữa những bức tường đá ong, thăm nhà cổ và đình Mông "
                "Phụ, nếm đặc sản làng, ghé trung tâm OCOP đang xây dựng. " + SOURCE
            ),
            scenes=("village", "village"),
            stops=[
                stop
                for stop in (
                    _place("village", _village("duong-lam"), 120, title="Cổng làng Mông Phụ và nhà cổ"),
                    _meal("Cơm trưa nhà cổ Đường Lâm", "21.157000", "105.471000", minutes=75),
                    _place("center", _center("Đường Lâm"), 60, note="Đặc sản OCOP xứ Đoài."),
                    {
                        "kind": "free_time",
                        "title": "Chợ quê và chè lam",
                        "latitude": "21.155000",
                        "longitude": "105.476000",
                        "minutes": 45,
                    },
                )
                if stop
            ],
            adult_price=790_000,
            child_price=450_000,
            rule={"freq": "weekly", "byweekday": ["SA"]},
            start_time=dt.time(7, 30),
            seats=35,
        ),
    ]


def _upload(key: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{key}.jpg", data, content_type="image/jpeg")


def _tour_make(spec: DemoTour, operator: Operator, workshop: Session | None) -> Tour:
    meeting, lat, lng = MEETING
    tour = services.tour_create(
        actor=None,
        operator=operator,
        title=spec.title,
        summary=spec.summary,
        description=spec.description,
        languages=spec.languages,
        included=spec.included,
        excluded=spec.excluded,
        meeting_point=meeting,
        meeting_latitude=lat,
        meeting_longitude=lng,
        adult_price=spec.adult_price,
        child_price=spec.child_price,
        booking_type=spec.booking_type,
        is_illustrative=True,
    )
    services.stops_set(actor=None, tour=tour, stops=spec.stops)
    for n, scene in enumerate(spec.scenes):
        services.tour_photo_add(
            actor=None,
            tour=tour,
            image=_upload(f"{tour.slug}-{n + 1}", pictures.tour_picture(f"{tour.slug}-{n}", scene)),
            caption=spec.summary if n == 0 else spec.title,
            credit=pictures.CREDIT,
        )
    services.tour_publish(actor=None, tour=tour)
    if any(stop["kind"] == "workshop" for stop in spec.stops) and workshop is not None:
        # one departure on the morning of each of the workshop's sessions to come (up to six), from
        # the one the stop names: each departure takes the session of its day
        days = sorted(
            {
                timezone.localtime(at).date()
                for at in Session.objects.filter(
                    event_id=workshop.event_id,
                    state=SessionState.SCHEDULED,
                    starts_at__gte=workshop.starts_at,
                ).values_list("starts_at", flat=True)
            }
        )[:6]
        for day in days:
            starts_at = timezone.make_aware(dt.datetime.combine(day, spec.start_time))
            services.departure_create(actor=None, tour=tour, starts_at=starts_at, seats=spec.seats)
    elif spec.rule is not None:
        services.departures_create_recurring(
            actor=None,
            tour=tour,
            rule=spec.rule,
            starts_on=timezone.localdate() + dt.timedelta(days=3),
            start_time=spec.start_time,
            seats=spec.seats,
            count=6,
        )
    return tour


BOOKERS = [
    ("Nguyễn Thị Lan", "lan.nguyen@example.vn", "0912 000 001", 2, 0),
    ("Phạm Quang Huy", "huy.pham@example.vn", "0983 111 222", 2, 1),
    ("Claire Martin", "claire.martin@example.fr", "", 3, 0),
]


def _bookings(tour: Tour, customer: User | None) -> int:
    """On the first departure: a paid party, a party still to pay and (on request) one awaiting
    confirmation."""
    departure = tour.departures.order_by("starts_at").first()
    if departure is None:
        return 0
    made = 0
    for n, (name, email, phone, adults, children) in enumerate(BOOKERS):
        booking = services.booking_create(
            actor=None,
            departure=departure,
            adults=adults,
            children=children,
            name=name,
            email=email,
            phone=phone,
            customer=customer if n == 0 else None,
        )
        made += 1
        if n == 0:
            if tour.booking_type == BookingType.ON_REQUEST:
                booking = services.booking_confirm(actor=None, booking=booking)
            services.booking_pay(actor=None, booking=booking, reference=f"MINHHOA-{booking.code}")
    return made


def demo_tours_create() -> int:
    """Add the demo tours that are missing (with their operators, the operator member's account,
    departures, bookings and pictures); the number of tours made."""
    made = 0
    with transaction.atomic():
        operators = _operators()
        _member(operators[COMPANY])
        workshop = _workshop()
        customer = User.objects.filter(phone="+84912000001").first()
        existing = set(Tour.objects.values_list("title", flat=True))
        for spec in _specs(workshop):
            if spec.title in existing or not spec.stops:
                continue
            tour = _tour_make(spec, operators[spec.operator], workshop)
            _bookings(tour, customer)
            made += 1
    return made
