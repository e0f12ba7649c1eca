"""A small world for the events' tests: two centers (on a stub commune), events, sessions, people.

No places are loaded (the concurrency tests flush the database after each test), so the commune is
one stub row; everything else goes through the services.
"""

import datetime as dt
import itertools

from django.utils import timezone

from ocophub.centers.models import Center, Status
from ocophub.events import services
from ocophub.events.models import Event, EventKind, PaymentMethod, Registration, Session
from ocophub.places.models import AdministrativeUnit, Era, Level

_n = itertools.count(1)


def commune() -> AdministrativeUnit:
    found = AdministrativeUnit.objects.filter(code=999001).first()
    if found:
        return found
    return AdministrativeUnit.objects.create(
        era=Era.LEGACY,
        level=Level.COMMUNE,
        division_type="xa",
        code=999001,
        name="Xã Bát Tràng",
        folded_name="xa bat trang",
        slug="xa-bat-trang",
        valid_to=dt.date(2025, 6, 30),
        source="test",
    )


def center(name: str = "Trung tâm OCOP làng gốm Bát Tràng") -> Center:
    n = next(_n)
    return Center.objects.create(
        name=name,
        slug=f"trung-tam-{n}",
        folded_name=name.lower(),
        commune=commune(),
        status=Status.RECOGNISED,
        address="Thôn Giang Cao, Bát Tràng",
    )


def event(at: Center | None = None, *, kind: str = EventKind.WORKSHOP, publish: bool = True, **more) -> Event:
    made = services.event_create(
        actor=None,
        center=at or center(),
        kind=kind,
        title=more.pop("title", f"Tự tay nặn gốm {next(_n)}"),
        description="Học nặn một chiếc bát trên bàn xoay.",
        **more,
    )
    if publish:
        services.event_publish(actor=None, event=made)
    return made


def soon(days: float = 10, hours: float = 0) -> dt.datetime:
    start = timezone.localtime() + dt.timedelta(days=days, hours=hours)
    return start.replace(minute=0, second=0, microsecond=0)


def session(ev: Event | None = None, *, seats: int = 10, price: int = 0, days: float = 10, **more) -> Session:
    start = soon(days)
    return services.session_create(
        actor=None,
        event=ev or event(),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=seats,
        price=price,
        **more,
    )


def register(
    s: Session, party: int = 1, *, email: str | None = None, method: str = PaymentMethod.VIETQR, **more
) -> Registration:
    n = next(_n)
    return services.registration_create(
        actor=None,
        session=s,
        party_size=party,
        name=more.pop("name", f"Khách {n}"),
        email=email or f"khach{n}@example.vn",
        phone=more.pop("phone", "0912 345 678"),
        payment_method=method,
        **more,
    )


def counters(s: Session) -> tuple[int, int, int, int]:
    cap = Session.objects.get(pk=s.pk).capacity
    assert cap is not None
    return (cap.total, cap.held, cap.taken, cap.checked_in)
