"""A design request walked through every state: each move leaves an event row and sends its e-mails;
moves the workflow does not allow change nothing."""

import datetime as dt

import pytest
from django.core import mail

from ocophub.common.dates import local_today
from ocophub.common.errors import Conflict, DomainError
from ocophub.design import services
from ocophub.design.models import DesignEvent, DesignRequest, DesignVersion

from . import world
from .world import pdf, png


@pytest.fixture
def w(loaded_places):
    return world.build()


def _snapshot(request: DesignRequest) -> tuple:
    request = DesignRequest.objects.get(pk=request.pk)
    return (
        request.state,
        request.designer_id,
        request.price,
        DesignEvent.objects.filter(request=request).count(),
        DesignVersion.objects.filter(request=request).count(),
        request.files.count(),
    )


def _sent_to(*users) -> set[str]:
    return {user.email for user in users}


def test_every_state_with_events_and_emails(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = world.submit(w)
    assert request.number.startswith("TK-")
    assert request.state == "submitted"
    assert set(mail.outbox[-1].to) == _sent_to(w.manager_a)
    assert "TK-" in mail.outbox[-1].subject
    assert request.files.filter(role="reference").count() == 1

    steps = [
        ("accepted", {w.member_a.email, w.designer_a.email}),
        ("in_progress", {w.member_a.email}),
        ("proposal_sent", {w.member_a.email}),
        ("changes_requested", {w.designer_a.email}),
    ]
    for state, recipients in steps:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            request = world.advance(w, request, state)
        assert request.state == state
        assert len(mail.outbox) == 1, state
        assert set(mail.outbox[0].to) == recipients, state

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        version = services.design_version_send(
            actor=w.designer_a, request=request, note="v2", files=[png("v2.png")]
        )
    assert version.number == 2
    assert set(mail.outbox[0].to) == {w.member_a.email}
    assert "2" in mail.outbox[0].body

    for state, recipients in [
        ("approved", {w.designer_a.email, w.manager_a.email}),
        ("delivered", {w.member_a.email, w.manager_a.email}),
        ("closed", {w.member_a.email, w.designer_a.email}),
    ]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            request = world.advance(w, DesignRequest.objects.get(pk=request.pk), state)
        assert request.state == state
        assert set(mail.outbox[0].to) == recipients, state

    moves = list(
        DesignEvent.objects.filter(request=request).order_by("pk").values_list("from_state", "to_state")
    )
    assert moves == [
        ("", "submitted"),
        ("submitted", "accepted"),
        ("accepted", "in_progress"),
        ("in_progress", "proposal_sent"),
        ("proposal_sent", "changes_requested"),
        ("changes_requested", "proposal_sent"),
        ("proposal_sent", "approved"),
        ("approved", "delivered"),
        ("delivered", "closed"),
    ]
    assert all(
        DesignEvent.objects.filter(request=request)
        .exclude(to_state="submitted")
        .values_list("actor", flat=True)
    )
    request.refresh_from_db()
    assert request.terms_accepted_by == w.member_a and request.portfolio_allowed
    assert request.before_file.role == "reference" and request.after_file.role == "final"
    assert [v.kind for v in request.versions.order_by("number")] == ["proposal", "proposal", "final"]


def test_decline_and_cancel_end_the_request(w, django_capture_on_commit_callbacks):
    declined = world.submit(w)
    with django_capture_on_commit_callbacks(execute=True):
        services.design_request_decline(actor=w.manager_a, request=declined, reason="Hết lịch trong quý này.")
    declined.refresh_from_db()
    assert declined.state == "declined" and declined.decline_reason == "Hết lịch trong quý này."
    assert set(mail.outbox[-1].to) == {w.member_a.email}
    assert "Hết lịch" in mail.outbox[-1].body

    cancelled = world.advance(w, world.submit(w), "accepted")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.design_request_cancel(actor=w.member_a, request=cancelled, reason="Đổi kế hoạch.")
    assert set(mail.outbox[0].to) == {w.manager_a.email, w.designer_a.email}


@pytest.mark.parametrize(
    ("state", "move"),
    [
        ("accepted", "deliver"),  # deliver before approval
        ("proposal_sent", "deliver"),
        ("declined", "approve"),  # approve a declined request
        ("submitted", "approve"),
        ("submitted", "send"),
        ("approved", "send"),
        ("closed", "start"),
        ("delivered", "cancel"),
        ("submitted", "close"),
        ("accepted", "accept"),
    ],
)
def test_moves_not_allowed_change_nothing(w, state, move, django_capture_on_commit_callbacks):
    request = world.submit(w)
    if state == "declined":
        services.design_request_decline(actor=w.manager_a, request=request, reason="Không phù hợp.")
    else:
        request = world.advance(w, request, state)
    before = _snapshot(request)
    mail.outbox.clear()
    calls = {
        "deliver": lambda: services.design_request_deliver(
            actor=w.designer_a, request=request, note="", files=[pdf()]
        ),
        "approve": lambda: services.design_request_approve(
            actor=w.member_a, request=request, accept_terms=True, portfolio_allowed=True
        ),
        "send": lambda: services.design_version_send(
            actor=w.designer_a, request=request, note="", files=[png()]
        ),
        "start": lambda: services.design_request_start(actor=w.designer_a, request=request),
        "cancel": lambda: services.design_request_cancel(actor=w.member_a, request=request, reason="Thôi."),
        "close": lambda: services.design_request_close(actor=w.manager_a, request=request),
        "accept": lambda: services.design_request_accept(
            actor=w.manager_a,
            request=request,
            designer=w.designer_a,
            due_on=local_today() + dt.timedelta(days=5),
            price=1,
        ),
    }
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict):
        calls[move]()
    assert _snapshot(request) == before
    assert mail.outbox == []


def test_reassign_records_both_designers_and_tells_them(w, django_capture_on_commit_callbacks):
    request = world.advance(w, world.submit(w), "in_progress")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.design_request_reassign(
            actor=w.manager_a, request=request, designer=w.designer_a2, reason="Nghỉ phép"
        )
    request.refresh_from_db()
    assert request.designer == w.designer_a2 and request.state == "in_progress"
    event = DesignEvent.objects.filter(request=request).order_by("-pk").first()
    assert (event.from_state, event.to_state) == ("in_progress", "in_progress")
    assert event.detail["from"] == w.designer_a.pk and event.detail["to"] == w.designer_a2.pk
    assert set(mail.outbox[0].to) == {w.designer_a.email, w.designer_a2.email}


def test_a_designer_of_another_center_cannot_be_assigned(w):
    request = world.submit(w)
    with pytest.raises(DomainError) as error:
        services.design_request_accept(
            actor=w.manager_a,
            request=request,
            designer=w.designer_b,
            due_on=local_today() + dt.timedelta(days=5),
            price=1_000_000,
        )
    assert "designer" in error.value.fields
    assert _snapshot(request)[0] == "submitted"
    assert DesignEvent.objects.filter(request=request).count() == 1


def test_approval_needs_the_usage_terms(w):
    request = world.advance(w, world.submit(w), "proposal_sent")
    before = _snapshot(request)
    with pytest.raises(DomainError) as error:
        services.design_request_approve(
            actor=w.member_a, request=request, accept_terms=False, portfolio_allowed=True
        )
    assert "accept_terms" in error.value.fields
    assert _snapshot(request) == before


def test_comment_tells_everyone_but_its_author(w, django_capture_on_commit_callbacks):
    request = world.advance(w, world.submit(w), "in_progress")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.design_comment_add(actor=w.designer_a, request=request, body="Cho xin ảnh sản phẩm thật.")
    assert set(mail.outbox[0].to) == {w.member_a.email, w.manager_a.email}
    with pytest.raises(DomainError):
        services.design_comment_add(actor=w.member_a, request=request, body="   ")
    assert request.comments.count() == 1
