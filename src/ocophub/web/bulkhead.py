"""A bulkhead between slow pages and quick answers inside one app server process.

A worker runs many requests at once in threads (scripts/serve), but Python runs one thread at a time:
with a dozen catalogue pages rendering in a worker, a health check or a cashier's quick call gets the
interpreter once every dozen hand-overs, and waits for each of its own database calls' returns as
long. So at most `WEB_BUSY_LIMIT` requests (default 2) run a view at once in a process; the others
wait their turn on a lock, where they cost no interpreter time, and the quick paths of
`WEB_BUSY_EXEMPT` (the health check) never wait. A request that waits longer than
`WEB_BUSY_WAIT_SECONDS` (default 30) is answered 503 with a Retry-After, rather than held without end.

Throughput does not change — the work was bound by the interpreter anyway — but a quick answer is
quick again under load. `WEB_BUSY_LIMIT=0` turns the bulkhead off.
"""

import threading
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _


class BulkheadMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.limit = int(getattr(settings, "WEB_BUSY_LIMIT", 3))
        self.wait = float(getattr(settings, "WEB_BUSY_WAIT_SECONDS", 30))
        self.exempt = tuple(getattr(settings, "WEB_BUSY_EXEMPT", ("/api/v1/health",)))
        self.slots = threading.BoundedSemaphore(self.limit) if self.limit > 0 else None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.slots is None or request.path_info.startswith(self.exempt):
            return self.get_response(request)
        if not self.slots.acquire(timeout=self.wait):
            return self._busy(request)
        try:
            return self.get_response(request)
        finally:
            self.slots.release()

    def _busy(self, request: HttpRequest) -> HttpResponse:
        message = _("The site is very busy right now. Please try again in a moment.")
        if request.path_info.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"error": {"code": "busy", "message": message, "fields": {}}}, status=503
            )
        else:  # before the session and the language are known: a page of its own, in Vietnamese
            response = HttpResponse(
                f'<!doctype html><html lang="vi"><meta charset="utf-8"><title>{escape(message)}</title>'
                f"<p>{escape(message)}</p></html>",
                status=503,
            )
        response["Retry-After"] = "5"
        return response
