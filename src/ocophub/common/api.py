"""API plumbing shared by every router: the error body, pagination and exception handlers.

Errors always look like {"error": {"code": "…", "message": "…", "fields": {…}}}.
"""

import datetime as dt
import json
import re
from typing import Annotated, Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.parser import Parser
from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from .errors import DomainError
from .ratelimit import RateLimited


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, str] = {}


class ErrorBody(Schema):
    error: ErrorDetail


# Responses every operation may give, declared so the OpenAPI document is complete.
ERRORS_PUBLIC: dict[int | frozenset[int], Any] = {frozenset({404, 414, 422}): ErrorBody}
ERRORS_AUTH: dict[int | frozenset[int], Any] = {frozenset({400, 401, 403, 404, 409, 414, 422}): ErrorBody}

MAX_LIMIT = 200
MAX_OFFSET = 10**9
MAX_ID = 2**62  # within every database's 64-bit integers
MAX_UNIT_CODE = 999_999  # national statistics codes have at most five digits
# Slugs and codes in URLs are folded lowercase words joined by hyphens ("lang-gom-bat-trang")
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class AnyCaller:
    """The last of an operation's auth callbacks when callers without credentials are served too.

    The OpenAPI document then lists the empty requirement `{}` beside the operation's schemes, so that
    clients (and fuzzers) know that an anonymous call is allowed.
    """

    def __call__(self, request: HttpRequest) -> Any:
        return True


class ApiDocument(OpenAPISchema):
    def operation_security(self, operation: Operation) -> list[dict[str, Any]] | None:
        security = super().operation_security(operation)
        if security and any(isinstance(auth, AnyCaller) for auth in operation.auth_callbacks):
            security.append({})
        return security


class Api(NinjaAPI):
    """Ninja's API whose OpenAPI document marks the operations that anonymous callers may use."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return ApiDocument(self, path_prefix)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ].*)?", re.ASCII | re.DOTALL)


def _iso_only(pattern: re.Pattern[str], kind: type, error: str) -> Any:
    """Dates and times travel as ISO 8601 text. pydantic alone would also read a number (0 is
    01/01/1970) or a string of digits as a Unix time, which no client means as a date."""

    def check(value: Any) -> Any:
        if isinstance(value, kind):  # already a date: the API's own answers, never a client's JSON
            return value
        if isinstance(value, str) and pattern.fullmatch(value):
            return value  # pydantic checks that the day exists
        raise PydanticCustomError(error, "Not a valid ISO 8601 date or time.")

    return BeforeValidator(check)


# Every date and time an API schema or query parameter takes or gives.
IsoDate = Annotated[dt.date, _iso_only(_ISO_DATE, dt.date, "date_parsing")]
IsoDateTime = Annotated[dt.datetime, _iso_only(_ISO_DATETIME, dt.datetime, "datetime_parsing")]


_CLOCK = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]", re.ASCII)


def _clock(value: Any) -> Any:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str) and _CLOCK.fullmatch(value):
        return value
    raise PydanticCustomError("time_parsing", "Not a time of day as HH:MM.")


# A time of day on the clock, to the minute (opening hours): "08:30" in and out.
ClockTime = Annotated[
    dt.time,
    BeforeValidator(_clock),
    PlainSerializer(lambda value: value.strftime("%H:%M"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "examples": ["08:00"]}),
]


class BodyNotAnObject(ValueError):
    pass


class ObjectBodyParser(Parser):
    """Every body the API takes is a JSON object. Without this check ninja reads `[null]`, `1` or
    `null` as an object with no fields, so a PATCH with such a body changed nothing and answered 200."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise BodyNotAnObject
        return data


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: dict[str, str] | None = None,
) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message, "fields": fields or {}}}, status=status
    )


def _field_name(loc: list[Any]) -> str:
    # ninja reports ["path", "code"], ["query", "filters", "kind", 0] or ["body", "payload", "name"]
    names = [str(part) for part in loc if not isinstance(part, int)]
    if names and names[0] in {"query", "path", "body", "header", "cookie", "form", "file"}:
        names = names[1:]
    if len(names) > 1:  # the view's argument name (filters, payload, …) is not what the client sent
        names = names[1:]
    return ".".join(names) or "body"


def field_message(error: dict[str, Any]) -> str:
    """A validation error in the user's language (pydantic's own messages are English only)."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("Required.")
    if kind == "string_too_short":
        return _("At least %(n)s characters.") % {"n": ctx.get("min_length")}
    if kind in ("string_too_long", "too_long"):
        return _("At most %(n)s characters or items.") % {"n": ctx.get("max_length")}
    if kind == "greater_than":
        return _("Must be more than %(n)s.") % {"n": ctx.get("gt")}
    if kind == "greater_than_equal":
        return _("Must be at least %(n)s.") % {"n": ctx.get("ge")}
    if kind in ("less_than", "less_than_equal"):
        return _("Must be at most %(n)s.") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return _("A whole number is needed.")
    if kind in (
        "decimal_parsing",
        "decimal_type",
        "float_parsing",
        "decimal_max_digits",
        "decimal_max_places",
    ):
        return _("Not a valid number.")
    if kind.startswith("date") or kind.startswith("time"):
        return _("Not a valid date or time (YYYY-MM-DD, HH:MM).")
    if kind in ("literal_error", "enum"):
        return _("Must be one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in ("bool_parsing", "bool_type"):
        return _("Must be true or false.")
    return _("Invalid.")


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields: dict[str, str] = {}
        for error in exc.errors:
            fields.setdefault(_field_name(list(error.get("loc", []))), field_message(error))
        return error_response(api, request, 422, "invalid", _("The data sent is not valid."), fields)

    @api.exception_handler(DomainError)
    def on_domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        status = exc.status if exc.status != 400 or not exc.fields else 422
        response = error_response(api, request, status, exc.code, exc.message, exc.fields)
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(Http404)
    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(AuthenticationError)
    def on_401(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(api, request, 401, "not_authenticated", _("Log in or send a valid API token."))

    @api.exception_handler(AuthorizationError)
    def on_403(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return error_response(api, request, 403, "forbidden", _("You are not allowed to do this."))

    @api.exception_handler(HttpError)
    def on_http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, BodyNotAnObject):  # ninja wraps every parser error in a 400
            fields = {"body": _("A JSON object is needed.")}
            return error_response(api, request, 422, "invalid", _("The data sent is not valid."), fields)
        return error_response(api, request, exc.status_code, "error", str(exc))


class Page(Schema):
    count: int
    limit: int
    offset: int


def paginate(qs: Any, limit: int, offset: int) -> tuple[int, list[Any]]:
    """One COUNT and one page query, whatever the size of the table."""
    count = qs.count()
    return count, list(qs[offset : offset + limit])
