"""A small world for the tours' tests: an operator, centers on a stub commune (with coordinates), a
tour whose itinerary visits them, departures, bookings — everything else through the services.

No places are loaded (the concurrency tests flush the database), so the commune is the events'
stub row."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from ocophub.centers.models import Center, Status
from ocophub.tours import services
from ocophub.tours.models import Booking, Departure, Operator, OperatorKind, Tour

from ..events import world as ew

_n = itertools.count(1)


def operator(**more) -> Operator:
    n = next(_n)
    data = {
        "name": f"Công ty Lữ hành Sông Hồng {n}",
        "kind": OperatorKind.COMPANY,
        "licence_number": f"01-{n:04d}/2024/TCDL-GP LHQT",
        "phone": "0912 345 678",
        "email": f"dieuhanh{n}@songhong.vn",
    } | more
    return services.operator_create(actor=None, **data)


def center(name: str = "Trung tâm OCOP Bát Tràng", lat: str = "20.975000", lng: str = "105.912000") -> Center:
    n = next(_n)
    return Center.objects.create(
        name=name,
        slug=f"tt-{n}",
        folded_name=name.lower(),
        commune=ew.commune(),
        status=Status.RECOGNISED,
        latitude=Decimal(lat),
        longitude=Decimal(lng),
    )


def tour(
    op: Operator | None = None,
    *,
    stops: list[dict] | None = None,
    publish: bool = True,
    **more,
) -> Tour:
    data = {
        "title": more.pop("title", f"Một ngày ở làng gốm {next(_n)}"),
        "meeting_point": "Nhà hát Lớn Hà Nội",
        "meeting_latitude": "21.024200",
        "meeting_longitude": "105.857500",
        "adult_price": 850_000,
        "child_price": 500_000,
        "languages": ["vi", "en"],
    } | more
    made = services.tour_create(actor=None, operator=op or operator(), **data)
    services.stops_set(
        actor=None, tour=made, stops=stops or [{"kind": "center", "center": center().pk, "minutes": 90}]
    )
    if publish:
        services.tour_publish(actor=None, tour=made)
    return made


def soon(days: float = 10, hours: float = 0) -> dt.datetime:
    start = timezone.localtime() + dt.timedelta(days=days, hours=hours)
    return start.replace(hour=8, minute=0, second=0, microsecond=0)


def departure(t: Tour | None = None, *, seats: int = 30, days: float = 10) -> Departure:
    return services.departure_create(actor=None, tour=t or tour(), starts_at=soon(days), seats=seats)


def book(d: Departure, adults: int = 2, children: int = 0, *, email: str | None = None, **more) -> Booking:
    n = next(_n)
    return services.booking_create(
        actor=None,
        departure=d,
        adults=adults,
        children=children,
        name=more.pop("name", f"Khách {n}"),
        email=email or f"khach{n}@example.vn",
        phone=more.pop("phone", "0912 345 678"),
        **more,
    )


def counters(capacity_id: int) -> tuple[int, int, int, int]:
    from ocophub.seats.models import Capacity

    cap = Capacity.objects.get(pk=capacity_id)
    return (cap.total, cap.held, cap.taken, cap.checked_in)
