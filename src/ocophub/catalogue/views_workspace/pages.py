"""What every workspace page shares: the producer looked up (or 404) and the page's frame."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from ocophub.accounts import permissions
from ocophub.accounts.models import Role

from ..models import Producer


def producer_or_404(request: HttpRequest, slug: str) -> Producer:
    producer = Producer.objects.filter(slug=slug).first()
    if producer is None or not permissions.can_work_for_producer(request.user, producer):
        raise Http404
    return producer


def workspace_page(
    request: HttpRequest,
    template: str,
    producer: Producer,
    current: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    several = len(permissions.scope_ids(request.user, Role.PRODUCER_MEMBER)) > 1
    return render(
        request,
        f"catalogue/workspace/{template}",
        {"producer": producer, "current": current, "several": several, **context},
        status=status,
    )


def with_remove_urls(photos: list[Any], name: str, *args: Any) -> list[Any]:
    for photo in photos:
        photo.remove_url = reverse(f"workspace:{name}", args=[*args, photo.pk])
    return photos
