"""The center's event pages for its staff: who may see them, every form's bad input (a clear
Vietnamese message, a 4xx, nothing written), fixed query counts, the attendee list in Excel."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from ocophub.accounts.models import Role
from ocophub.events import services
from ocophub.events.models import (
    Event,
    EventPhoto,
    EventState,
    Payment,
    PaymentMethod,
    Registration,
    RegistrationState,
    Session,
    SessionState,
)

from ..conftest import make_user
from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    center = w.center()
    other = w.center("Trung tâm OCOP Vạn Phúc")
    return {
        "center": center,
        "other": other,
        "staff": make_user(Role.CENTER_STAFF, scope_id=center.pk),
        "manager": make_user(Role.CENTER_MANAGER, scope_id=center.pk),
        "peer": make_user(Role.CENTER_STAFF, scope_id=other.pk),
        "designer": make_user(Role.DESIGNER, scope_id=center.pk),
    }


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    if user is not None:
        client.force_login(user)
    return client


def base(center) -> str:
    return f"/lam-viec/trung-tam/{center.slug}"


def day(days: int = 10) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).strftime("%d/%m/%Y")


# --- who may see ------------------------------------------------------------------------------------


def test_each_page_for_staff_peer_anonymous_and_a_role_without_the_right(place):
    center = place["center"]
    event = w.event(center)
    session = w.session(event)
    urls = [
        f"{base(center)}/su-kien/",
        f"{base(center)}/su-kien/moi/",
        f"{base(center)}/su-kien/{event.pk}/",
        f"{base(center)}/buoi/{session.pk}/",
        f"{base(center)}/buoi/{session.pk}/nguoi-tham-du.xlsx",
        f"{base(center)}/soat-ve/",
        f"{base(center)}/su-kien/tim-san-pham/?product_query=gom",
    ]
    for url in urls:
        assert client_for(place["staff"]).get(url).status_code == 200, url
        assert client_for(place["manager"]).get(url).status_code == 200, url
        assert client_for(place["peer"]).get(url).status_code == 404, url
        assert client_for(place["designer"]).get(url).status_code == 404, url
        anonymous = client_for(None).get(url)
        assert anonymous.status_code == 302 and "/tai-khoan/dang-nhap/" in anonymous["Location"], url


def test_another_centers_event_and_session_are_404_at_this_center(place):
    theirs = w.event(place["other"])
    session = w.session(theirs)
    staff = client_for(place["staff"])
    center = place["center"]
    assert staff.get(f"{base(center)}/su-kien/{theirs.pk}/").status_code == 404
    assert staff.get(f"{base(center)}/buoi/{session.pk}/").status_code == 404
    assert staff.post(f"{base(center)}/su-kien/{theirs.pk}/cong-bo/").status_code == 404


def test_the_work_menu_links_the_centers_events(place):
    page = client_for(place["staff"]).get("/")
    assert f"{base(place['center'])}/su-kien/".encode() in page.content


# --- the list ---------------------------------------------------------------------------------------


def test_the_list_shows_drafts_published_and_cancelled_in_fixed_queries(place, django_assert_max_num_queries):
    center = place["center"]
    w.event(center, publish=False, title="Triển lãm gốm")
    shown = w.event(center, title="Hội chợ lụa")
    w.session(shown)
    gone = w.event(center, title="Ra mắt mẫu mới")
    services.event_cancel(actor=None, event=gone, reason="Mưa bão")
    w.event(place["other"], title="Của trung tâm khác")
    staff = client_for(place["staff"])
    staff.get(f"{base(center)}/su-kien/")  # warm the session and the menu

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = staff.get(f"{base(center)}/su-kien/")
        assert response.status_code == 200
        return len(queries)

    few = count()
    for n in range(5):
        w.session(w.event(center, title=f"Thêm {n}"))
    assert count() == few
    page = staff.get(f"{base(center)}/su-kien/").content.decode()
    assert "Triển lãm gốm" in page and "Hội chợ lụa" in page and "Ra mắt mẫu mới" in page
    assert "Của trung tâm khác" not in page
    drafts = staff.get(f"{base(center)}/su-kien/?state=draft").content.decode()
    assert "Triển lãm gốm" in drafts and "Hội chợ lụa" not in drafts


def test_the_list_pages_by_a_keyset(place):
    center = place["center"]
    made = [w.event(center, publish=False, title=f"Sự kiện số {n:02d}") for n in range(23)]
    staff = client_for(place["staff"])
    first = staff.get(f"{base(center)}/su-kien/")
    assert len(first.context["page"].events) == 20
    before = first.context["page"].next_before
    assert before == made[3].pk
    second = staff.get(f"{base(center)}/su-kien/?before={before}")
    assert [e.pk for e in second.context["page"].events] == [made[2].pk, made[1].pk, made[0].pk]
    assert second.context["page"].next_before is None


# --- create, edit, publish, cancel ------------------------------------------------------------------


def event_data(**more):
    data = {
        "kind": "workshop",
        "title": "Tự tay nặn gốm",
        "description": "Nặn một chiếc bát.",
        "address": "",
        "latitude": "",
        "longitude": "",
        "languages": ["vi", "en"],
    }
    data.update(more)
    return data


def test_staff_create_a_draft_event_with_featured_products_and_producers(place):
    from ocophub.catalogue.models import Producer, Product, ProductStatus

    producer = Producer.objects.create(
        name="HTX Gốm",
        folded_name="htx gom",
        slug="htx-gom",
        kind="cooperative",
        is_active=True,
        commune=w.commune(),
    )
    product = Product.objects.create(
        producer=producer, name="Bình gốm", slug="binh-gom", status=ProductStatus.PUBLISHED
    )
    staff = client_for(place["staff"])
    response = staff.post(
        f"{base(place['center'])}/su-kien/moi/", event_data(products=[product.pk], producers=[producer.pk])
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.center == place["center"] and event.state == EventState.DRAFT
    assert list(event.products.all()) == [product] and list(event.producers.all()) == [producer]
    assert event.languages == ["vi", "en"]
    page = staff.get(response["Location"]).content.decode()
    assert "Bình gốm" in page and "HTX Gốm" in page


def test_the_product_search_answers_matches_only(place):
    from ocophub.catalogue.models import Producer, Product, ProductStatus

    producer = Producer.objects.create(
        name="HTX Gốm",
        folded_name="htx gom",
        slug="htx-gom",
        kind="cooperative",
        is_active=True,
        commune=w.commune(),
    )
    Product.objects.create(
        producer=producer,
        name="Bình gốm men lam",
        folded_name="binh gom men lam",
        slug="b1",
        status=ProductStatus.PUBLISHED,
    )
    Product.objects.create(
        producer=producer,
        name="Bình gốm nháp",
        folded_name="binh gom nhap",
        slug="b2",
        status=ProductStatus.DRAFT,
    )
    Product.objects.create(
        producer=producer, name="Khăn lụa", folded_name="khan lua", slug="b3", status=ProductStatus.PUBLISHED
    )
    staff = client_for(place["staff"])
    answer = staff.get(
        f"{base(place['center'])}/su-kien/tim-san-pham/?product_query=binh gom"
    ).content.decode()
    assert "Bình gốm men lam" in answer and "nháp" not in answer and "Khăn lụa" not in answer
    producers = staff.get(f"{base(place['center'])}/su-kien/tim-chu-the/?producer_query=gom").content.decode()
    assert "HTX Gốm" in producers


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": ""}, "title", "Bắt buộc"),
        ({"kind": "party"}, "kind", ""),
        ({"languages": []}, "languages", "Chọn ít nhất một ngôn ngữ"),
        ({"latitude": "30.1", "longitude": "105.8", "address": "Phố Huế"}, "latitude", "Hà Nội"),
        ({"latitude": "21.02"}, "longitude", ""),
        ({"products": ["999999"]}, "products", ""),
    ],
)
def test_bad_event_input_is_refused_and_nothing_written(place, data, field, message):
    response = client_for(place["staff"]).post(f"{base(place['center'])}/su-kien/moi/", event_data(**data))
    assert response.status_code == 400
    assert f'data-testid="field-error-{field}"'.encode() in response.content
    assert message.encode() in response.content
    assert Event.objects.count() == 0


def test_edit_publish_and_cancel_an_event(place):
    center = place["center"]
    event = w.event(center, publish=False)
    staff = client_for(place["staff"])
    url = f"{base(center)}/su-kien/{event.pk}/"
    assert (
        staff.post(
            url, event_data(title="Tên mới", address="Phố Hàng Gai", latitude="21.03", longitude="105.85")
        ).status_code
        == 302
    )
    event.refresh_from_db()
    assert event.title == "Tên mới" and event.address == "Phố Hàng Gai"
    assert staff.post(f"{url}cong-bo/").status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.PUBLISHED
    again = staff.post(f"{url}cong-bo/")
    assert again.status_code == 409
    no_reason = staff.post(f"{url}huy/", {"reason": ""})
    assert no_reason.status_code == 400
    event.refresh_from_db()
    assert event.state == EventState.PUBLISHED
    session = w.session(event)
    assert staff.post(f"{url}huy/", {"reason": "Mưa bão"}).status_code == 302
    event.refresh_from_db()
    session.refresh_from_db()
    assert event.state == EventState.CANCELLED and session.state == SessionState.CANCELLED
    refused = staff.post(url, event_data(title="Sau khi hủy"))
    assert refused.status_code == 409 and "đã hủy".encode() in refused.content.lower()


def test_photos_are_added_and_a_non_image_refused(place, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = w.event(place["center"], publish=False)
    staff = client_for(place["staff"])
    url = f"{base(place['center'])}/su-kien/{event.pk}/anh/"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, format="PNG")
    ok = staff.post(
        url, {"image": SimpleUploadedFile("a.png", buffer.getvalue(), "image/png"), "caption": "Lò"}
    )
    assert ok.status_code == 302 and EventPhoto.objects.count() == 1
    bad = staff.post(url, {"image": SimpleUploadedFile("a.png", b"not an image", "image/png")})
    assert bad.status_code == 400 and EventPhoto.objects.count() == 1


# --- sessions ---------------------------------------------------------------------------------------


def session_data(**more):
    data = {
        "day": day(),
        "start": "09:00",
        "end": "11:30",
        "capacity": "12",
        "price": "150.000",
        "makes": "Một chiếc bát",
        "refund_rule": "standard",
    }
    data.update(more)
    return data


def test_staff_add_a_session(place):
    event = w.event(place["center"])
    response = client_for(place["staff"]).post(
        f"{base(place['center'])}/su-kien/{event.pk}/buoi-moi/", session_data()
    )
    assert response.status_code == 302
    session = Session.objects.get()
    local = timezone.localtime(session.starts_at)
    assert (local.hour, local.minute) == (9, 0) and session.price == 150_000
    assert session.capacity.total == 12 and session.makes == "Một chiếc bát"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"day": day(-2)}, "day", "trong tương lai"),
        ({"end": "08:00"}, "end", "phải sau giờ bắt đầu"),
        ({"capacity": "0"}, "capacity", "lớn hơn 0"),
        ({"capacity": "-3"}, "capacity", "lớn hơn 0"),
        ({"price": "-1000"}, "price", "không được âm"),
        ({"day": "31/02/2027"}, "day", "dd/mm/yyyy"),
        ({"start": "9 giờ"}, "start", "HH:MM"),
        ({"capacity": "mười"}, "capacity", ""),
    ],
)
def test_bad_session_input_is_refused_and_nothing_written(place, data, field, message):
    event = w.event(place["center"])
    response = client_for(place["staff"]).post(
        f"{base(place['center'])}/su-kien/{event.pk}/buoi-moi/", session_data(**data)
    )
    assert response.status_code == 400, response.content[:500]
    content = response.content.decode()
    assert f'data-testid="field-error-{field}"' in content
    assert message in content
    assert Session.objects.count() == 0


def recurrence_data(**more):
    data = {
        "freq": "weekly",
        "weekdays": ["SA", "SU"],
        "starts_on": day(3),
        "until": day(30),
        "count": "",
        "start": "14:00",
        "end": "16:00",
        "capacity": "10",
        "price": "0",
        "makes": "",
        "refund_rule": "full",
    }
    data.update(more)
    return data


def test_recurring_sessions_on_chosen_weekdays(place):
    event = w.event(place["center"])
    response = client_for(place["staff"]).post(
        f"{base(place['center'])}/su-kien/{event.pk}/buoi-lap-lai/", recurrence_data()
    )
    assert response.status_code == 302
    sessions = list(Session.objects.order_by("starts_at"))
    assert sessions and all(timezone.localtime(s.starts_at).weekday() in (5, 6) for s in sessions)
    assert all(s.refund_rule == [{"days": 1, "percent": 100}] for s in sessions)
    daily = client_for(place["staff"]).post(
        f"{base(place['center'])}/su-kien/{event.pk}/buoi-lap-lai/",
        recurrence_data(freq="daily", weekdays=[], until="", count="3", start="18:00", end="19:00"),
    )
    assert daily.status_code == 302 and Session.objects.count() == len(sessions) + 3


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"weekdays": []}, "weekdays", "ít nhất một thứ"),
        ({"until": "", "count": ""}, "until", "số buổi"),
        ({"until": "", "count": "500"}, "count", "100"),
        ({"freq": "daily", "until": "", "count": "150"}, "count", "100"),
        ({"end": "13:00"}, "end", "phải sau giờ bắt đầu"),
        ({"starts_on": day(-10)}, "", "trong tương lai"),
        ({"capacity": "0"}, "capacity", "lớn hơn 0"),
        ({"price": "-5"}, "price", "không được âm"),
    ],
)
def test_bad_recurrence_input_is_refused_and_nothing_written(place, data, field, message):
    event = w.event(place["center"])
    response = client_for(place["staff"]).post(
        f"{base(place['center'])}/su-kien/{event.pk}/buoi-lap-lai/", recurrence_data(**data)
    )
    assert response.status_code == 400, response.content[:300]
    content = response.content.decode()
    if field:
        assert f'data-testid="field-error-{field}"' in content
    assert message in content
    assert Session.objects.count() == 0


def test_edit_and_cancel_a_session_and_the_parties_are_told(
    place, mailoutbox, django_capture_on_commit_callbacks
):
    center = place["center"]
    session = w.session(w.event(center), seats=5, price=100_000)
    registration = w.register(session, 2, method=PaymentMethod.DOOR)
    staff = client_for(place["staff"])
    url = f"{base(center)}/buoi/{session.pk}/"
    edited = staff.post(
        f"{url}sua/", {"capacity": "8", "price": "120.000", "makes": "", "refund_rule": "none"}
    )
    assert edited.status_code == 302
    session.refresh_from_db()
    assert session.capacity.total == 8 and session.price == 120_000 and session.refund_rule == []
    too_few = staff.post(f"{url}sua/", {"capacity": "1", "price": "0", "makes": "", "refund_rule": "none"})
    assert too_few.status_code in (400, 409)
    session.refresh_from_db()
    assert session.capacity.total == 8
    negative = staff.post(f"{url}sua/", {"capacity": "8", "price": "-1", "makes": "", "refund_rule": "none"})
    assert negative.status_code == 400 and "không được âm" in negative.content.decode()
    assert staff.post(f"{url}huy/", {"reason": ""}).status_code == 400
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with_reason = staff.post(f"{url}huy/", {"reason": "Lò nung hỏng"})
    assert with_reason.status_code == 302
    session.refresh_from_db()
    registration.refresh_from_db()
    assert session.state == SessionState.CANCELLED and registration.state == RegistrationState.CANCELLED
    assert any(registration.email in m.to for m in mailoutbox)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message = staff.post(f"{url}nhan-tin/", {"subject": "Xin lỗi", "message": "Hẹn gặp lại tuần sau."})
    assert message.status_code == 302
    assert [m.to for m in mailoutbox] == [[registration.email]]
    empty = staff.post(f"{url}nhan-tin/", {"subject": "", "message": ""})
    assert empty.status_code == 400 and "Bắt buộc" in empty.content.decode()


# --- registrations ----------------------------------------------------------------------------------


def test_the_registrations_page_shows_parties_heads_and_waiting_list_in_fixed_queries(place):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    center = place["center"]
    session = w.session(w.event(center), seats=6, price=50_000)
    w.register(session, 2, name="Nguyễn Văn An")
    w.register(session, 3, method=PaymentMethod.DOOR, name="Trần Thị Bình")
    staff = client_for(place["staff"])
    url = f"{base(center)}/buoi/{session.pk}/"
    staff.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert staff.get(url).status_code == 200
        return len(queries)

    few = count()
    w.register(session, 1)
    services.waitlist_join(actor=None, session=session, party_size=2, name="Lê Chờ", email="cho@example.vn")
    services.waitlist_join(actor=None, session=session, party_size=1, name="Phạm Đợi", email="doi@example.vn")
    assert count() == few
    page = staff.get(url)
    content = page.content.decode()
    assert "Nguyễn Văn An" in content and "Trần Thị Bình" in content and "Lê Chờ" in content
    assert page.context["confirmed_people"] == 3 and page.context["held_people"] == 3


def test_staff_confirm_a_transfer_record_a_door_payment_and_cancel_a_registration(place):
    center = place["center"]
    session = w.session(w.event(center), seats=10, price=80_000)
    by_transfer = w.register(session, 2)
    at_door = w.register(session, 1, method=PaymentMethod.DOOR)
    third = w.register(session, 1, method=PaymentMethod.DOOR)
    staff = client_for(place["staff"])
    paid = staff.post(f"{base(center)}/dang-ky/{by_transfer.pk}/thanh-toan/", {"reference": "FT123"})
    assert paid.status_code == 302
    by_transfer.refresh_from_db()
    assert by_transfer.state == RegistrationState.CONFIRMED
    assert Payment.objects.get(registration=by_transfer).reference == "FT123"
    twice = staff.post(f"{base(center)}/dang-ky/{by_transfer.pk}/thanh-toan/")
    assert twice.status_code == 409 and Payment.objects.filter(registration=by_transfer).count() == 1
    door = staff.post(f"{base(center)}/dang-ky/{at_door.pk}/thanh-toan/")
    assert door.status_code == 302
    assert Payment.objects.get(registration=at_door).amount == 80_000
    assert staff.post(f"{base(center)}/dang-ky/{at_door.pk}/thanh-toan/").status_code == 409
    assert Payment.objects.filter(registration=at_door).count() == 1
    cancelled = staff.post(f"{base(center)}/dang-ky/{third.pk}/huy/", {"reason": "Khách báo bận"})
    assert cancelled.status_code == 302
    third.refresh_from_db()
    assert third.state == RegistrationState.CANCELLED
    assert staff.post(f"{base(center)}/dang-ky/{third.pk}/huy/").status_code == 409
    peer = client_for(place["peer"])
    assert peer.post(f"{base(place['other'])}/dang-ky/{by_transfer.pk}/huy/").status_code == 404


def test_the_attendee_list_in_excel_has_one_row_per_party(place):
    center = place["center"]
    session = w.session(w.event(center), seats=10, price=0)
    first = w.register(session, 2, name="Nguyễn Văn An")
    w.register(session, 3, name='=HYPERLINK("x")')
    services.check_in_by_code(actor=None, code=first.code, center=center)
    w.register(w.session(w.event(center)), 1, name="Buổi khác")
    response = client_for(place["staff"]).get(f"{base(center)}/buoi/{session.pk}/nguoi-tham-du.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Mã vé"
    names = sorted(r[1] for r in rows[1:])
    assert names == sorted(["Nguyễn Văn An", '=HYPERLINK("x")'])
    an = next(r for r in rows[1:] if r[1] == "Nguyễn Văn An")
    assert an[0] == first.code and an[4] == 2 and an[11] == 2 and an[10]
    formula = next(c for c in sheet["B"][1:] if c.value.startswith("="))
    assert formula.data_type == "s"
    assert Registration.objects.count() == 3
