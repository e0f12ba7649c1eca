"""A center's design pages: its list of requests per role, and the moves its managers and designers
make on a request's page, with every refusal a message beside the field, a 4xx and nothing written."""

import datetime as dt

import pytest
from django.test import Client, override_settings

from ocophub.accounts.models import Role
from ocophub.common.dates import local_today
from ocophub.design import services
from ocophub.design.models import DesignEvent, DesignFile, DesignRequest, DesignVersion

from ..conftest import make_user
from ..helpers import assert_fixed_queries, form_values
from . import world
from .world import pdf, png, svg


@pytest.fixture
def w(loaded_places, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return world.build()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _list_url(center) -> str:
    return f"/lam-viec/trung-tam/{center.slug}/thiet-ke/"


def _url(request: DesignRequest, move: str) -> str:
    return f"/thiet-ke/yeu-cau/{request.pk}/{move}/"


def _snapshot(request: DesignRequest) -> tuple:
    row = DesignRequest.objects.get(pk=request.pk)
    return (
        row.state,
        row.designer_id,
        row.due_on,
        row.price,
        row.decline_reason,
        DesignEvent.objects.filter(request=row).count(),
        DesignVersion.objects.filter(request=row).count(),
        DesignFile.objects.filter(request=row).count(),
    )


def _due(days: int = 14) -> str:
    return (local_today() + dt.timedelta(days=days)).strftime("%d/%m/%Y")


# the list


def test_manager_sees_every_request_of_the_center_and_a_designer_only_theirs(w):
    mine = world.advance(w, world.submit(w, title="Của A"), "accepted")
    other = world.submit(w, title="Của A2")
    services.design_request_accept(
        actor=w.manager_a, request=other, designer=w.designer_a2, due_on=local_today(), price=1_000_000
    )
    waiting = world.submit(w, title="Chưa nhận")
    elsewhere = world.submit(w, center=w.center_b, title="Ở trung tâm B")

    page = _client(w.manager_a).get(_list_url(w.center_a))
    assert page.status_code == 200
    shown = {row.pk for row in page.context["requests"]}
    assert shown == {mine.pk, other.pk, waiting.pk}

    page = _client(w.designer_a).get(_list_url(w.center_a))
    assert page.status_code == 200
    assert [row.pk for row in page.context["requests"]] == [mine.pk]
    assert elsewhere.number not in page.content.decode()


@pytest.mark.parametrize("who", ["manager_b", "designer_b", "member_a", "cashier"])
def test_others_are_told_the_list_does_not_exist(w, who):
    world.submit(w)
    user = make_user(Role.CENTER_STAFF, scope_id=w.center_a.pk) if who == "cashier" else getattr(w, who)
    assert _client(user).get(_list_url(w.center_a)).status_code == 404


def test_the_list_asks_an_anonymous_visitor_to_log_in(w):
    response = Client().get(_list_url(w.center_a))
    assert response.status_code == 302
    assert "/dang-nhap/" in response["Location"] or "login" in response["Location"]
    assert _client(w.manager_a).get("/lam-viec/trung-tam/khong-co/thiet-ke/").status_code == 404


def test_the_list_is_sorted_by_due_date_flags_the_overdue_and_filters_by_state(w):
    later = world.advance(w, world.submit(w, title="Muộn"), "accepted")
    sooner = world.advance(w, world.submit(w, title="Sớm"), "in_progress")
    waiting = world.submit(w, title="Chưa nhận")
    DesignRequest.objects.filter(pk=later.pk).update(due_on=local_today() + dt.timedelta(days=9))
    DesignRequest.objects.filter(pk=sooner.pk).update(due_on=local_today() - dt.timedelta(days=2))

    page = _client(w.manager_a).get(_list_url(w.center_a))
    rows = page.context["requests"]
    assert [row.pk for row in rows] == [sooner.pk, later.pk, waiting.pk]
    assert [row.overdue for row in rows] == [True, False, False]
    html = page.content.decode()
    assert html.count('data-testid="overdue"') == 1
    assert "Quá hạn" in html

    page = _client(w.manager_a).get(_list_url(w.center_a), {"state": "submitted"})
    assert [row.pk for row in page.context["requests"]] == [waiting.pk]
    # an unknown state is no filter, not an error
    page = _client(w.manager_a).get(_list_url(w.center_a), {"state": "nonsense"})
    assert page.status_code == 200
    assert len(page.context["requests"]) == 3


def test_the_list_is_paged(w):
    for n in range(27):
        world.submit(w, title=f"Yêu cầu {n}", references=[])
    client = _client(w.manager_a)
    first = client.get(_list_url(w.center_a))
    assert len(first.context["requests"]) == 25
    second = client.get(_list_url(w.center_a), {"page": 2})
    assert len(second.context["requests"]) == 2


def test_the_list_runs_a_fixed_number_of_queries(w):
    client = _client(w.manager_a)
    designer_client = _client(w.designer_a)

    def grow(n: int) -> None:
        for i in range(n):
            row = world.submit(w, title=f"Thêm {i}", references=[])
            services.design_request_accept(
                actor=w.manager_a, request=row, designer=w.designer_a, due_on=local_today(), price=10
            )

    assert_fixed_queries(lambda: client.get(_list_url(w.center_a)), grow)
    assert_fixed_queries(lambda: designer_client.get(_list_url(w.center_a)), grow)


# the forms on a request's page, per role


def test_a_manager_sees_accept_and_decline_with_the_centers_designers_only(w):
    request = world.submit(w)
    page = _client(w.manager_a).get(f"/thiet-ke/yeu-cau/{request.pk}/")
    html = page.content.decode()
    for form_id in ("accept-form", "decline-form"):
        assert f'id="{form_id}"' in html
    assert 'id="start-form"' not in html
    assert f'value="{w.designer_a.pk}"' in html
    assert f'value="{w.designer_a2.pk}"' in html
    assert f'value="{w.manager_a.pk}"' in html
    assert f'value="{w.designer_b.pk}"' not in html
    assert f'value="{w.manager_b.pk}"' not in html
    # the producer's budget is offered as the price, the wished date as the due date
    values = form_values(html, "accept-form")
    assert values["price"] == "3.000.000"
    assert values["due_on"] == request.wished_on.strftime("%d/%m/%Y")


def test_producer_members_and_the_city_see_no_center_forms(w):
    request = world.submit(w)
    for user in (w.member_a, w.city):
        html = _client(user).get(f"/thiet-ke/yeu-cau/{request.pk}/").content.decode()
        assert 'data-testid="center-actions"' not in html
    # the producer is not sent to the center's list; the center's people are
    assert (
        'data-testid="center-list-link"'
        not in _client(w.member_a).get(f"/thiet-ke/yeu-cau/{request.pk}/").content.decode()
    )
    html = _client(w.manager_a).get(f"/thiet-ke/yeu-cau/{request.pk}/").content.decode()
    assert f'href="{_list_url(w.center_a)}"' in html


@pytest.mark.parametrize(
    ("state", "who", "shown"),
    [
        ("accepted", "designer_a", {"start-form"}),
        ("accepted", "manager_a", {"start-form", "reassign-form"}),
        ("in_progress", "designer_a", {"version-form"}),
        ("changes_requested", "designer_a", {"version-form"}),
        ("proposal_sent", "designer_a", set()),
        ("proposal_sent", "manager_a", {"reassign-form"}),
        ("approved", "designer_a", {"deliver-form"}),
        ("delivered", "manager_a", {"close-form"}),
        ("delivered", "designer_a", set()),
        ("closed", "manager_a", set()),
    ],
)
def test_each_form_shows_for_its_role_and_state(w, state, who, shown):
    request = world.advance(w, world.submit(w), state)
    html = _client(getattr(w, who)).get(f"/thiet-ke/yeu-cau/{request.pk}/").content.decode()
    every = {"accept-form", "decline-form", "start-form", "version-form", "deliver-form", "close-form"}
    every.add("reassign-form")
    assert {form_id for form_id in every if f'id="{form_id}"' in html} == shown
    if "version-form" in shown or "deliver-form" in shown:
        assert 'enctype="multipart/form-data"' in html
        assert "multiple" in html


# accept


def test_accept_takes_the_price_as_people_type_it(w):
    request = world.submit(w)
    response = _client(w.manager_a).post(
        _url(request, "nhan"), {"designer": w.designer_a.pk, "due_on": _due(), "price": "2.500.000"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/thiet-ke/yeu-cau/{request.pk}/"
    request.refresh_from_db()
    assert (request.state, request.designer_id, request.price) == ("accepted", w.designer_a.pk, 2_500_000)
    assert request.due_on == local_today() + dt.timedelta(days=14)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"due_on": "01/01/2020"}, "due_on", "Đã qua"),
        ({"due_on": ""}, "due_on", "Bắt buộc"),
        ({"due_on": "31/02/2030"}, "due_on", "dd/mm/yyyy"),
        ({"price": "-5"}, "price", "âm"),
        ({"price": "hai triệu"}, "price", "2.500.000"),
        ({"price": ""}, "price", "Bắt buộc"),
        ({"price": "1000000000000"}, "price", "Tối đa"),
        ({"designer": ""}, "designer", "Bắt buộc"),
        ({"designer": "forged-designer-b"}, "designer", "Không phải người thiết kế của trung tâm này"),
        ({"designer": "forged-member"}, "designer", "Không phải người thiết kế của trung tâm này"),
    ],
)
def test_bad_acceptance_is_refused_beside_its_field(w, data, field, message):
    request = world.submit(w)
    before = _snapshot(request)
    posted = {"designer": w.designer_a.pk, "due_on": _due(), "price": "2.500.000", **data}
    if posted["designer"] == "forged-designer-b":
        posted["designer"] = w.designer_b.pk
    elif posted["designer"] == "forged-member":
        posted["designer"] = w.member_a.pk
    response = _client(w.manager_a).post(_url(request, "nhan"), posted)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'data-testid="field-error-{field}"' in html
    assert message in html
    assert 'data-testid="problem"' in html
    # the form comes back as sent
    assert 'id="accept-form"' in html
    assert _snapshot(request) == before


def test_acceptance_above_what_is_left_of_the_commitment_is_refused(w):
    world.submit(w, payer="subsidy", commitment=w.commitment_a, budget=15_000_000, references=[])
    request = world.submit(w, payer="subsidy", commitment=w.commitment_a, budget=4_000_000)
    before = _snapshot(request)
    response = _client(w.manager_a).post(
        _url(request, "nhan"), {"designer": w.designer_a.pk, "due_on": _due(), "price": "5.000.001"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "5.000.001" in html and "5.000.000" in html
    assert _snapshot(request) == before
    # what is left is enough
    response = _client(w.manager_a).post(
        _url(request, "nhan"), {"designer": w.designer_a.pk, "due_on": _due(), "price": "5.000.000"}
    )
    assert response.status_code == 302


def test_an_illegal_move_is_a_conflict_that_changes_nothing(w):
    request = world.advance(w, world.submit(w), "accepted")
    before = _snapshot(request)
    response = _client(w.manager_a).post(
        _url(request, "nhan"), {"designer": w.designer_a2.pk, "due_on": _due(), "price": "1.000.000"}
    )
    assert response.status_code == 409
    assert 'data-testid="problem"' in response.content.decode()
    assert _snapshot(request) == before
    response = _client(w.manager_a).post(_url(request, "dong"))
    assert response.status_code == 409
    assert _snapshot(request) == before


# decline, start, close


def test_decline_needs_a_reason(w):
    request = world.submit(w)
    before = _snapshot(request)
    response = _client(w.manager_a).post(_url(request, "tu-choi"), {"reason": "   "})
    assert response.status_code == 400
    assert 'data-testid="field-error-reason"' in response.content.decode()
    assert _snapshot(request) == before
    response = _client(w.manager_a).post(_url(request, "tu-choi"), {"reason": "Không đủ người."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.state, request.decline_reason) == ("declined", "Không đủ người.")


def test_start_and_close(w):
    request = world.advance(w, world.submit(w), "accepted")
    assert _client(w.designer_a).post(_url(request, "bat-dau")).status_code == 302
    request.refresh_from_db()
    assert request.state == "in_progress"
    delivered = world.advance(w, request, "delivered")
    assert _client(w.manager_a).post(_url(delivered, "dong")).status_code == 302
    delivered.refresh_from_db()
    assert delivered.state == "closed"


@pytest.mark.parametrize(
    ("who", "move", "state"),
    [
        ("member_a", "nhan", "submitted"),  # sees the request, may not accept it
        ("member_a", "tu-choi", "submitted"),
        ("designer_a", "nhan", "accepted"),  # the assigned designer does not accept nor close
        ("designer_a", "dong", "delivered"),
        ("designer_a", "giao-lai", "accepted"),
        ("city", "bat-dau", "accepted"),  # the city reads only
        ("member_a", "bat-dau", "accepted"),
        ("designer_a2", "bat-dau", "accepted"),  # a designer of the center not given the request
        ("manager_b", "bat-dau", "accepted"),
        ("designer_b", "dong", "delivered"),
    ],
)
def test_a_move_the_user_may_not_make_is_404(w, who, move, state):
    request = world.advance(w, world.submit(w), state)
    before = _snapshot(request)
    response = _client(getattr(w, who)).post(
        _url(request, move), {"reason": "x", "designer": w.designer_a2.pk, "due_on": _due(), "price": "1"}
    )
    assert response.status_code == 404
    assert _snapshot(request) == before


def test_an_anonymous_move_asks_to_log_in_and_a_get_is_refused(w):
    request = world.submit(w)
    before = _snapshot(request)
    assert Client().post(_url(request, "tu-choi"), {"reason": "x"}).status_code == 302
    assert _client(w.manager_a).get(_url(request, "tu-choi")).status_code == 405
    assert _snapshot(request) == before


# proposals and the final files


def test_a_proposal_is_sent_with_several_files(w):
    request = world.advance(w, world.submit(w), "in_progress")
    response = _client(w.designer_a).post(
        _url(request, "gui-phuong-an"), {"note": "Hai phương án màu", "files": [png("a.png"), pdf("b.pdf")]}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == "proposal_sent"
    version = request.versions.get()
    assert (version.number, version.note) == (1, "Hai phương án màu")
    assert sorted(version.files.values_list("file_type", flat=True)) == ["pdf", "png"]


def _forged_png():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("anh.png", b"<html><script>alert(1)</script></html>", content_type="image/png")


def _program():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "setup.exe", b"MZ\x90\x00" + b"\x00" * 32, content_type="application/x-msdownload"
    )


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([], "Bắt buộc"),
        (["forged"], "không đúng loại"),
        (["program"], "chỉ nhận"),
        (["big"], "lớn hơn"),
        (["many"], "Tối đa"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_written(w, files, message):
    request = world.advance(w, world.submit(w), "in_progress")
    before = _snapshot(request)
    uploads = []
    for kind in files:
        if kind == "forged":
            uploads.append(_forged_png())
        elif kind == "program":
            uploads.append(_program())
        elif kind == "big":
            uploads.append(png("to.png", size=(400, 400)))
        elif kind == "many":
            uploads.extend(png(f"{n}.png") for n in range(11))
    with override_settings(DESIGN_FILE_MAX_BYTES=500):
        response = _client(w.designer_a).post(_url(request, "gui-phuong-an"), {"note": "x", "files": uploads})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="field-error-files"' in html
    assert message in html
    assert _snapshot(request) == before


def test_final_files_are_delivered(w):
    request = world.advance(w, world.submit(w), "approved")
    response = _client(w.designer_a).post(
        _url(request, "ban-giao"), {"note": "Tệp in", "files": [png("in.png"), svg(), pdf()]}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == "delivered"
    final = request.versions.get(kind="final")
    assert final.files.count() == 3


def test_delivery_without_files_is_refused(w):
    request = world.advance(w, world.submit(w), "approved")
    before = _snapshot(request)
    response = _client(w.designer_a).post(_url(request, "ban-giao"), {"note": "Tệp in"})
    assert response.status_code == 400
    assert _snapshot(request) == before


# reassignment


def test_a_manager_reassigns_with_a_new_due_date(w):
    request = world.advance(w, world.submit(w), "in_progress")
    response = _client(w.manager_a).post(
        _url(request, "giao-lai"), {"designer": w.designer_a2.pk, "due_on": _due(30), "reason": "Nghỉ phép"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.designer_id == w.designer_a2.pk
    assert request.due_on == local_today() + dt.timedelta(days=30)
    event = request.events.order_by("-pk").first()
    assert (event.reason, event.detail["to"]) == ("Nghỉ phép", w.designer_a2.pk)
    # the first designer no longer sees it
    assert _client(w.designer_a).get(f"/thiet-ke/yeu-cau/{request.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"designer": "forged"}, "designer"),
        ({"due_on": "01/01/2021"}, "due_on"),
        ({"designer": "same"}, "designer"),
    ],
)
def test_bad_reassignment_is_refused(w, data, field):
    request = world.advance(w, world.submit(w), "in_progress")
    before = _snapshot(request)
    posted = {"designer": w.designer_a2.pk, "due_on": "", "reason": "", **data}
    if posted["designer"] == "forged":
        posted["designer"] = w.designer_b.pk
    elif posted["designer"] == "same":
        posted["designer"] = w.designer_a.pk
    response = _client(w.manager_a).post(_url(request, "giao-lai"), posted)
    assert response.status_code == 400
    assert f'data-testid="field-error-{field}"' in response.content.decode()
    assert _snapshot(request) == before


# the menu


def test_the_work_menu_links_managers_and_designers_to_the_list(w):
    url = _list_url(w.center_a)
    for user in (w.manager_a, w.designer_a):
        html = _client(user).get("/").content.decode()
        assert 'data-testid="design-link"' in html, user
        assert url in html
        assert "Thiết kế" in html
    cashier = make_user(Role.CENTER_STAFF, scope_id=w.center_a.pk)
    for user in (cashier, w.member_a):
        assert 'data-testid="design-link"' not in _client(user).get("/").content.decode()


def test_the_menu_reads_the_design_centers_in_a_fixed_number_of_queries(w, rf):
    from ocophub.accounts.services import role_grant
    from ocophub.web.context_processors import navigation

    from ..helpers import count_queries

    designer = make_user(Role.DESIGNER, scope_id=w.center_a.pk)

    def measure() -> int:
        request = rf.get("/")
        request.user = type(designer).objects.get(pk=designer.pk)
        request.session = {}
        queries, context = count_queries(lambda: navigation(request))
        assert len(context["design_desks"]) >= 1
        return queries

    one = measure()
    role_grant(actor=None, user=designer, role=Role.DESIGNER, scope_id=w.center_b.pk)
    assert measure() == one
    # a manager's centers come with the order desks already read: no query of their own
    manager = w.manager_a
    request = rf.get("/")
    request.user = manager
    request.session = {}
    context = navigation(request)
    assert [desk[0] for desk in context["design_desks"]] == [w.center_a.pk]
