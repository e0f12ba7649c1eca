"""Demo events at the recognised centers: a Bát Tràng pottery workshop on weekend mornings, a silk
exhibition at Vạn Phúc, and the launch of a new lacquer design at Hạ Thái. All illustrative.

Made through the services, with dates from the coming week on, so that a fresh machine has sessions to
register for. Safe to run again: an event already there (by its title) is left alone.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ocophub.catalogue.models import Producer, Product
from ocophub.centers.models import Center

from . import services
from .models import Event, EventKind

WORKSHOP = "Tự tay nặn gốm trên bàn xoay (minh họa)"
EXHIBITION = "Triển lãm lụa Vạn Phúc: trăm năm khung cửi (minh họa)"
LAUNCH = "Ra mắt mẫu hộp sơn mài khảm trứng mới (minh họa)"


def _center(fragment: str) -> Center | None:
    return Center.objects.filter(name__contains=fragment).order_by("pk").first()


def _next(weekday: int, after: dt.date) -> dt.date:
    return after + dt.timedelta(days=(weekday - after.weekday()) % 7 or 7)


def demo_events_create() -> int:
    """Add the demo events that are missing; the number of sessions made."""
    made = 0
    today = timezone.localdate()
    with transaction.atomic():
        if (center := _center("Bát Tràng")) and not Event.objects.filter(title=WORKSHOP).exists():
            event = services.event_create(
                actor=None,
                center=center,
                kind=EventKind.WORKSHOP,
                title=WORKSHOP,
                description=(
                    "Nghệ nhân làng gốm hướng dẫn từng bước: nhào đất, định tâm, vuốt thành một chiếc bát "
                    "trên bàn xoay, rồi trang trí men lam. Phù hợp cho gia đình và đoàn khách từ 8 tuổi."
                ),
                languages=["vi", "en"],
                products=Product.objects.filter(name__contains="Bát Tràng"),
                producers=Producer.objects.filter(name__contains="Bát Tràng"),
                is_illustrative=True,
            )
            services.event_publish(actor=None, event=event)
            made += len(
                services.sessions_create_recurring(
                    actor=None,
                    event=event,
                    rule="FREQ=WEEKLY;BYDAY=SA,SU",
                    starts_on=_next(5, today),
                    start_time=dt.time(9, 0),
                    duration=dt.timedelta(hours=2, minutes=30),
                    count=8,
                    capacity=12,
                    price=150_000,
                    makes="Một chiếc bát tự nặn, nung và gửi về sau 7 ngày",
                )
            )
        if (center := _center("Vạn Phúc")) and not Event.objects.filter(title=EXHIBITION).exists():
            event = services.event_create(
                actor=None,
                center=center,
                kind=EventKind.EXHIBITION,
                title=EXHIBITION,
                description=(
                    "Khung cửi, mẫu hoa văn và những tấm lụa tơ tằm qua các thời kỳ; trình diễn dệt lụa "
                    "mỗi buổi sáng. Vào cửa tự do, đăng ký để giữ chỗ cho đoàn."
                ),
                languages=["vi", "en", "fr"],
                products=Product.objects.filter(name__contains="Vạn Phúc"),
                producers=Producer.objects.filter(name__contains="Vạn Phúc"),
                is_illustrative=True,
            )
            services.event_publish(actor=None, event=event)
            made += len(
                services.sessions_create_recurring(
                    actor=None,
                    event=event,
                    rule={"freq": "daily"},
                    starts_on=today + dt.timedelta(days=3),
                    start_time=dt.time(8, 0),
                    duration=dt.timedelta(hours=9),
                    count=3,
                    capacity=200,
                    price=0,
                )
            )
        if (center := _center("Hạ Thái")) and not Event.objects.filter(title=LAUNCH).exists():
            event = services.event_create(
                actor=None,
                center=center,
                kind=EventKind.LAUNCH,
                title=LAUNCH,
                description=(
                    "Giới thiệu mẫu hộp sơn mài khảm vỏ trứng thiết kế mới cùng nhà thiết kế và nghệ nhân; "
                    "gặp gỡ nhà phân phối và khách mua sỉ."
                ),
                languages=["vi"],
                products=Product.objects.filter(name__contains="sơn mài"),
                producers=Producer.objects.filter(name__contains="Hạ Thái"),
                is_illustrative=True,
            )
            services.event_publish(actor=None, event=event)
            start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=14), dt.time(15, 0)))
            services.session_create(
                actor=None, event=event, starts_at=start, ends_at=start + dt.timedelta(hours=2), capacity=40
            )
            made += 1
    return made
