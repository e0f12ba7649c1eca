"""Vietnamese first: pages are Vietnamese unless the visitor chose English with the language switch.

Browsers often send an English Accept-Language on Vietnamese machines, so pages ignore it; the API
still honours it, as API clients set it on purpose.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext_lazy as _


class LanguageMiddleware(MiddlewareMixin):
    """Django's LocaleMiddleware without its language-prefixed URL handling, which the site does not use
    (no `i18n_patterns`), so that no request pays for resolving its path against every language."""

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            language = translation.get_language_from_request(request)
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path.startswith(settings.MEDIA_URL):
            # a photo is the same in every language: shared caches keep one copy
            return response
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class PageMessagesMiddleware(MessageMiddleware):
    """Flash messages are for pages: the JSON API never shows them, so its requests build no storage."""

    def process_request(self, request: HttpRequest) -> None:
        if not request.path.startswith("/api/"):
            super().process_request(request)


class RejectNulMiddleware:
    """Refuse text with NUL characters before it reaches a view: PostgreSQL cannot store them, and
    nothing a person types contains one. File uploads (multipart bodies) are left to their validators.

    No address holds a NUL, so a path with one is not found (the API's JSON 404, the site's 404 page),
    on every database alike; in a query string or a body it is invalid input (422 or 400). It runs after
    the language is chosen, so both answers speak the client's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            if request.path.startswith("/api/"):
                message = str(_("Not found."))
                return JsonResponse(
                    {"error": {"code": "not_found", "message": message, "fields": {}}}, status=404
                )
            raise Http404  # answered by the site's 404 page (handler404)
        query = request.META.get("QUERY_STRING", "")
        suspicious = "%00" in query or "\x00" in query
        if not suspicious and not (request.content_type or "").startswith("multipart/"):
            body = request.body
            suspicious = b"\x00" in body or b"\\u0000" in body
        if suspicious:
            message = str(_("The request contains a NUL character, which no field accepts."))
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"error": {"code": "invalid", "message": message, "fields": {}}}, status=422
                )
            return HttpResponseBadRequest(message)
        return self.get_response(request)


class LongQueryMiddleware:
    """A query string longer than MAX_QUERY_STRING bytes is refused with 414 before any view reads it:
    no form or filter of the site needs that much, and the API documents the answer. (The app server's
    own limit on the request line sits above this one, so that the answer here is the one clients get.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if len(request.META.get("QUERY_STRING", "")) > settings.MAX_QUERY_STRING:
            message = str(_("The address is too long. Shorten the search or choose fewer filters."))
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"error": {"code": "uri_too_long", "message": message, "fields": {}}}, status=414
                )
            return render(request, "400.html", {"message": message}, status=414)
        return self.get_response(request)
