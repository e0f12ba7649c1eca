"""E-mails about a design request: every move tells the people it concerns.

Sent after the transaction commits (never while a row is locked), in Vietnamese, the site's language.
Who is told:

| move | the producer's members | the assigned designer | the center's managers |
|---|---|---|---|
| submitted, cancelled | | cancelled | ✓ |
| accepted | ✓ | ✓ | |
| declined, in progress, proposal sent, delivered, closed | ✓ | closed | delivered |
| changes requested | | ✓ (the managers when nobody is assigned) | |
| approved | | ✓ | ✓ |
| reassigned | | the new and the previous designer | |
| comment | everyone concerned but its author | | |
"""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ocophub.accounts.models import Role, RoleGrant, User

from .models import DesignRequest, RequestState

PRODUCER, DESIGNER, MANAGERS = "producer", "designer", "managers"

AUDIENCE: dict[str, tuple[str, ...]] = {
    RequestState.SUBMITTED: (MANAGERS,),
    RequestState.ACCEPTED: (PRODUCER, DESIGNER),
    RequestState.DECLINED: (PRODUCER,),
    RequestState.CANCELLED: (MANAGERS, DESIGNER),
    RequestState.IN_PROGRESS: (PRODUCER,),
    RequestState.PROPOSAL_SENT: (PRODUCER,),
    RequestState.CHANGES_REQUESTED: (DESIGNER,),
    RequestState.APPROVED: (DESIGNER, MANAGERS),
    RequestState.DELIVERED: (PRODUCER, MANAGERS),
    RequestState.CLOSED: (PRODUCER, DESIGNER),
    "reassigned": (DESIGNER,),
    "comment": (PRODUCER, DESIGNER, MANAGERS),
}

SUBJECTS: dict[str, str] = {
    RequestState.SUBMITTED: "Yêu cầu thiết kế mới %(number)s: %(title)s",
    RequestState.ACCEPTED: "Yêu cầu thiết kế %(number)s đã được nhận",
    RequestState.DECLINED: "Yêu cầu thiết kế %(number)s bị từ chối",
    RequestState.CANCELLED: "Yêu cầu thiết kế %(number)s đã được rút",
    RequestState.IN_PROGRESS: "Yêu cầu thiết kế %(number)s đang được thực hiện",
    RequestState.PROPOSAL_SENT: "Phương án thiết kế mới cho %(number)s",
    RequestState.CHANGES_REQUESTED: "Chủ thể đề nghị chỉnh sửa %(number)s",
    RequestState.APPROVED: "Thiết kế %(number)s đã được duyệt",
    RequestState.DELIVERED: "Thiết kế %(number)s đã bàn giao",
    RequestState.CLOSED: "Yêu cầu thiết kế %(number)s đã đóng",
    "reassigned": "Yêu cầu thiết kế %(number)s được giao lại",
    "comment": "Trao đổi mới về %(number)s",
}


def _emails(users: Any) -> set[str]:
    return {user.email for user in users if user.email and user.is_active}


def _grant_emails(role: str, scope_id: int) -> set[str]:
    grants = RoleGrant.objects.live().filter(role=role, scope_id=scope_id).select_related("user")
    return _emails(grant.user for grant in grants)


def recipients(request: DesignRequest, event: str, **extra: Any) -> list[str]:
    audience = AUDIENCE[event]
    emails: set[str] = set()
    if PRODUCER in audience:
        emails |= _grant_emails(Role.PRODUCER_MEMBER, request.producer_id)
        if request.producer.email:
            emails.add(request.producer.email)
    if DESIGNER in audience and request.designer_id:
        emails |= _emails([request.designer])
    if MANAGERS in audience or (event == RequestState.CHANGES_REQUESTED and not request.designer_id):
        emails |= _grant_emails(Role.CENTER_MANAGER, request.center_id)
    if event == "reassigned" and extra.get("previous_designer"):
        emails |= _emails(User.objects.filter(pk=extra["previous_designer"]))
    if event == "comment" and extra.get("author"):
        author = User.objects.filter(pk=extra["author"]).first()
        if author and author.email:
            emails.discard(author.email)
    return sorted(emails)


def request_notice_send(request_id: int, event: str, **extra: Any) -> None:
    request = DesignRequest.objects.select_related("producer", "center", "designer").get(pk=request_id)
    to = recipients(request, event, **extra)
    if not to:
        return
    latest = request.events.order_by("-pk").first()
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "request": request,
            "event": event,
            "reason": latest.reason if latest else "",
            "version": extra.get("version"),
            "link": f"{settings.SITE_URL}{reverse('design:request', args=[request.pk])}",
        }
        body = render_to_string("design/email/request_notice.txt", context)
        subject = SUBJECTS[event] % {"number": request.number, "title": request.title}
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
