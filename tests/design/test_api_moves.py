"""The design API's moves: each one for the role it belongs to (404 to those who may not see the
request, 403 to those who see it but may not act), 409 with nothing changed when the state does not
allow it, uploads checked by their content, and the request's thread."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ocophub.accounts import permissions
from ocophub.common.dates import local_today
from ocophub.common.errors import Conflict, DomainError
from ocophub.design import services
from ocophub.design.models import DesignComment, DesignEvent, DesignFile, DesignRequest, DesignVersion

from . import world
from .world import pdf, png

BASE = "/api/v1/design/requests"


@pytest.fixture
def w(loaded_places):
    return world.build()


def _later(days: int = 20) -> str:
    return (local_today() + dt.timedelta(days=days)).isoformat()


def _snapshot(request: DesignRequest) -> tuple:
    request = DesignRequest.objects.get(pk=request.pk)
    return (
        request.state,
        request.designer_id,
        request.due_on,
        request.price,
        DesignEvent.objects.filter(request=request).count(),
        DesignVersion.objects.filter(request=request).count(),
        DesignFile.objects.filter(request=request).count(),
        DesignComment.objects.filter(request=request).count(),
    )


def _post(api, user, request: DesignRequest, move: str, body: dict | None = None):
    return api.as_user(user).call("post", f"{BASE}/{request.pk}/{move}", body or {})


def _upload(api, user, request: DesignRequest, move: str, files: list, note: str = ""):
    client = api.as_user(user)
    return client.post(
        f"{BASE}/{request.pk}/{move}", {"files": files, "note": note}, headers=client.headers_for
    )


# the moves, each with the state it starts from, its body and who may make it
MOVES = {
    "accept": (
        "submitted",
        lambda w: {"designer_id": w.designer_a.pk, "due_on": _later(), "price": 2_000_000},
    ),
    "decline": ("submitted", lambda w: {"reason": "Không đủ người."}),
    "start": ("accepted", lambda w: {}),
    "close": ("delivered", lambda w: {}),
    "reassign": ("in_progress", lambda w: {"designer_id": w.designer_a2.pk, "reason": "Nghỉ phép"}),
    "changes": ("proposal_sent", lambda w: {"comment": "Đổi màu nền."}),
    "approve": ("proposal_sent", lambda w: {"accept_terms": True, "portfolio_allowed": False}),
    "cancel": ("submitted", lambda w: {"reason": "Đổi kế hoạch."}),
}
MAY = {
    "accept": ("manager_a",),
    "decline": ("manager_a",),
    "start": ("designer_a", "manager_a"),
    "close": ("manager_a",),
    "reassign": ("manager_a",),
    "changes": ("member_a",),
    "approve": ("member_a",),
    "cancel": ("member_a",),
}
SEES = ("member_a", "manager_a", "designer_a", "city")
BLIND = ("member_b", "manager_b", "designer_b", "designer_a2")


@pytest.mark.parametrize("move", sorted(MOVES))
def test_each_move_belongs_to_its_role(api, w, move):
    state, body = MOVES[move]
    request = world.advance(w, world.submit(w), state)
    before = _snapshot(request)
    for who in (*SEES, *BLIND):
        if who in MAY[move]:
            continue
        user = getattr(w, who)
        sees = permissions.can_view_design_request(user, request)
        assert sees == (who in SEES and not (who == "designer_a" and state == "submitted")), who
        response = _post(api, user, request, move, body(w))
        assert response.status_code == (403 if sees else 404), (who, response.content)
        assert response.json()["error"]["code"] == ("forbidden" if sees else "not_found")
    assert _snapshot(request) == before
    allowed = getattr(w, MAY[move][-1])
    response = _post(api, allowed, request, move, body(w))
    assert response.status_code == 200, response.content
    assert _snapshot(request) != before
    assert response.json()["events"][-1]["actor"] == str(allowed)


@pytest.mark.parametrize(
    ("move", "state"),
    [
        ("accept", "in_progress"),
        ("decline", "accepted"),
        ("start", "submitted"),
        ("close", "approved"),
        ("reassign", "submitted"),
        ("changes", "in_progress"),
        ("approve", "changes_requested"),
        ("cancel", "proposal_sent"),
    ],
)
def test_a_move_the_state_does_not_allow_is_409_and_changes_nothing(api, w, move, state):
    request = world.advance(w, world.submit(w), state)
    before = _snapshot(request)
    response = _post(api, getattr(w, MAY[move][-1]), request, move, MOVES[move][1](w))
    assert response.status_code == 409, response.content
    assert response.json()["error"]["code"] == "conflict" and "state" in response.json()["error"]["fields"]
    assert _snapshot(request) == before


def test_the_whole_path_through_the_api(api, w):
    request = world.submit(w)
    assert _post(api, w.manager_a, request, "accept", MOVES["accept"][1](w)).status_code == 200
    assert _post(api, w.designer_a, request, "start").status_code == 200
    sent = _upload(api, w.designer_a, request, "versions", [png("p1.png"), pdf()], note="Phương án 1")
    assert sent.status_code == 201, sent.content
    assert [len(v["files"]) for v in sent.json()["versions"]] == [2]
    assert _post(api, w.member_a, request, "changes", {"comment": "Chữ to hơn."}).status_code == 200
    again = _upload(api, w.designer_a, request, "versions", [png("p2.png")], note="Phương án 2")
    assert again.status_code == 201 and [v["number"] for v in again.json()["versions"]] == [1, 2]
    approved = _post(api, w.member_a, request, "approve", {"accept_terms": True, "portfolio_allowed": True})
    assert approved.json()["portfolio_allowed"] is True and approved.json()["terms_accepted_at"]
    delivered = _upload(api, w.designer_a, request, "deliver", [png("final.png")], note="Tệp in")
    assert delivered.status_code == 201 and delivered.json()["state"] == "delivered"
    assert delivered.json()["versions"][-1]["kind"] == "final"
    closed = _post(api, w.manager_a, request, "close")
    assert closed.json()["state"] == "closed"


def test_accepting_names_a_designer_of_the_center_and_a_date_ahead(api, w):
    request = world.submit(w)
    before = _snapshot(request)
    for body, field in [
        ({"designer_id": w.designer_b.pk, "due_on": _later(), "price": 1}, "designer_id"),
        ({"designer_id": w.member_a.pk, "due_on": _later(), "price": 1}, "designer_id"),
        ({"designer_id": 999_999, "due_on": _later(), "price": 1}, "designer_id"),
        ({"designer_id": w.designer_a.pk, "due_on": "2020-01-01", "price": 1}, "due_on"),
        ({"designer_id": w.designer_a.pk, "due_on": _later(), "price": -5}, "price"),
        ({"designer_id": w.designer_a.pk, "due_on": _later()}, "price"),
    ]:
        response = _post(api, w.manager_a, request, "accept", body)
        assert response.status_code == 422, (body, response.content)
        assert field in response.json()["error"]["fields"], (body, response.json())
    assert _snapshot(request) == before


def test_reassigning_to_a_designer_of_another_center_is_refused(api, w):
    request = world.advance(w, world.submit(w), "in_progress")
    before = _snapshot(request)
    response = _post(api, w.manager_a, request, "reassign", {"designer_id": w.designer_b.pk})
    assert response.status_code == 422 and "designer_id" in response.json()["error"]["fields"]
    assert _snapshot(request) == before
    moved = _post(
        api, w.manager_a, request, "reassign", {"designer_id": w.designer_a2.pk, "due_on": _later(40)}
    )
    assert moved.status_code == 200
    assert moved.json()["designer"]["id"] == w.designer_a2.pk and moved.json()["due_on"] == _later(40)
    # the new designer now sees and works on it; the previous one no longer sees it
    assert _post(api, w.designer_a2, request, "start").status_code == 409
    assert api.as_user(w.designer_a).call("get", f"{BASE}/{request.pk}").status_code == 404


@pytest.mark.parametrize(
    ("move", "body", "field"),
    [
        ("decline", {"reason": "   "}, "reason"),
        ("cancel", {}, "reason"),
        ("changes", {"comment": ""}, "comment"),
        ("approve", {"accept_terms": False, "portfolio_allowed": True}, "accept_terms"),
        ("approve", {"accept_terms": "yes", "portfolio_allowed": True}, "accept_terms"),
    ],
)
def test_bad_input_to_a_move_names_the_field(api, w, move, body, field):
    state = "proposal_sent" if move in ("changes", "approve") else "submitted"
    request = world.advance(w, world.submit(w), state)
    before = _snapshot(request)
    response = _post(api, getattr(w, MAY[move][0]), request, move, body)
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"]
    assert _snapshot(request) == before


# --- uploads ---------------------------------------------------------------------------------------

FORGED = [
    SimpleUploadedFile("anh.png", b"%PDF-1.4 not a png"),
    SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + b"\x00" * 64),
    SimpleUploadedFile(
        "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    ),
    SimpleUploadedFile("rong.png", b""),
]


@pytest.mark.parametrize("forged", FORGED, ids=["pdf-as-png", "exe", "svg-script", "empty"])
@pytest.mark.parametrize(
    ("move", "state", "who"),
    [
        ("versions", "in_progress", "designer_a"),
        ("deliver", "approved", "designer_a"),
        ("references", "submitted", "member_a"),
    ],
)
def test_a_forged_file_is_refused_and_nothing_is_stored(api, w, forged, move, state, who):
    request = world.advance(w, world.submit(w), state)
    before = _snapshot(request)
    forged.seek(0)
    response = _upload(api, getattr(w, who), request, move, [png("tot.png"), forged])
    assert response.status_code == 422, response.content
    assert "files" in response.json()["error"]["fields"]
    assert _snapshot(request) == before


def test_an_upload_without_files_is_refused(api, w):
    request = world.advance(w, world.submit(w), "in_progress")
    client = api.as_user(w.designer_a)
    response = client.post(f"{BASE}/{request.pk}/versions", {"note": "quên tệp"}, headers=client.headers_for)
    assert response.status_code == 422 and "files" in response.json()["error"]["fields"]
    assert _snapshot(request)[0] == "in_progress"


def test_uploads_belong_to_their_roles(api, w):
    proposal = world.advance(w, world.submit(w), "in_progress")
    assert _upload(api, w.member_a, proposal, "versions", [png()]).status_code == 403
    assert _upload(api, w.city, proposal, "versions", [png()]).status_code == 403
    assert _upload(api, w.designer_b, proposal, "versions", [png()]).status_code == 404
    assert _upload(api, w.designer_a, proposal, "references", [png()]).status_code == 403
    assert _upload(api, w.member_b, proposal, "references", [png()]).status_code == 404
    assert DesignVersion.objects.filter(request=proposal).count() == 0
    assert DesignFile.objects.filter(request=proposal).count() == 1


def test_references_are_added_until_the_design_is_delivered(api, w):
    request = world.advance(w, world.submit(w), "proposal_sent")
    added = _upload(api, w.member_a, request, "references", [png("mau-2.png"), pdf("bang-mau.pdf")])
    assert added.status_code == 201, added.content
    assert [f["name"] for f in added.json()["references"]] == ["nhan-cu.png", "mau-2.png", "bang-mau.pdf"]
    delivered = world.advance(w, world.submit(w), "delivered")
    before = _snapshot(delivered)
    late = _upload(api, w.member_a, delivered, "references", [png()])
    assert late.status_code == 409 and _snapshot(delivered) == before


def test_the_reference_service_refuses_an_ended_request_and_an_empty_upload(w):
    request = world.submit(w)
    with pytest.raises(DomainError) as error:
        services.design_reference_add(actor=w.member_a, request=request, files=[])
    assert "files" in error.value.fields
    rows = services.design_reference_add(actor=w.member_a, request=request, files=[png("them.png")])
    assert [row.role for row in rows] == ["reference"] and rows[0].uploaded_by == w.member_a
    services.design_request_cancel(actor=w.member_a, request=request, reason="Thôi.")
    with pytest.raises(Conflict):
        services.design_reference_add(actor=w.member_a, request=request, files=[png()])
    assert DesignFile.objects.filter(request=request).count() == 2


# --- the thread ------------------------------------------------------------------------------------


def test_everyone_who_works_on_it_writes_in_the_thread(api, w):
    request = world.advance(w, world.submit(w), "proposal_sent")
    url = f"{BASE}/{request.pk}/comments"
    for who in ("member_a", "designer_a", "manager_a"):
        response = api.as_user(getattr(w, who)).call("post", url, {"body": f"Ý kiến của {who}", "version": 1})
        assert response.status_code == 201, response.content
        assert response.json()["version"] == 1 and response.json()["author"] == str(getattr(w, who))
    assert api.as_user(w.city).call("post", url, {"body": "Xem"}).status_code == 403
    for who in BLIND:
        assert api.as_user(getattr(w, who)).call("post", url, {"body": "Xem"}).status_code == 404
    listed = api.as_user(w.city).call("get", url).json()
    assert listed["count"] == 3 and [c["body"] for c in listed["items"]][0] == "Ý kiến của member_a"
    assert api.as_user(w.member_b).call("get", url).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   \n"}, "body"),
        ({}, "body"),
        ({"body": "x", "version": 9}, "version"),
    ],
)
def test_an_empty_comment_is_refused(api, w, body, field):
    request = world.advance(w, world.submit(w), "proposal_sent")
    response = api.as_user(w.member_a).call("post", f"{BASE}/{request.pk}/comments", body)
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"]
    assert DesignComment.objects.filter(request=request).count() == 0


def test_the_thread_runs_a_fixed_number_of_queries(api, w):
    from ..helpers import assert_fixed_queries

    request = world.advance(w, world.submit(w), "proposal_sent")
    client = api.as_user(w.member_a)
    url = f"{BASE}/{request.pk}/comments?limit=100"
    client.call("get", url)

    def grow(n: int) -> None:
        for i in range(n):
            services.design_comment_add(
                actor=w.designer_a if i % 2 else w.member_a, request=request, body="Ý"
            )

    assert_fixed_queries(lambda: client.call("get", url), grow)
