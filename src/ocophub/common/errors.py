"""Domain errors that views and the API turn into a 4xx with a clear message."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A request the rules refuse. `fields` maps a field name to its message."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code


class NotFound(DomainError):
    status = 404
    code = "not_found"

    def __init__(
        self, message: str | None = None, *, fields: dict[str, str] | None = None, code: str | None = None
    ) -> None:
        super().__init__(str(message or _("Not found.")), fields=fields, code=code)


class Conflict(DomainError):
    status = 409
    code = "conflict"
