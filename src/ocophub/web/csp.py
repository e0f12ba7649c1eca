"""The Content-Security-Policy header, built once.

django-csp builds the header from the settings on every response (about a sixth of a trivial API
request's time). The site's policy never varies by request: no view adds to it, replaces it or uses
a nonce. So the header is built once per process and re-used; a response that does carry its own
parts (a decorator of django-csp) or a request that asked for a nonce still gets django-csp's own
per-response build. Changing the settings (tests do) drops the built header.
"""

from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase

_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_built: dict[bool, tuple[str, tuple[str, ...]]] = {}


def policy(*, report_only: bool) -> tuple[str, tuple[str, ...]]:
    """The header's value from the settings (empty when none is set) and its excluded path prefixes."""
    if report_only not in _built:
        name = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
        config = getattr(settings, name, None) or {}
        value = build_policy(report_only=report_only)
        _built[report_only] = (value, tuple(config.get("EXCLUDE_URL_PREFIXES", None) or ()))
    return _built[report_only]


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        _built.clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _PER_RESPONSE
        ):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (404, 500):
            return response  # django-csp leaves Django's debug pages alone
        for report_only, header, exempt in (
            (False, HEADER, "_csp_exempt"),
            (True, HEADER_REPORT_ONLY, "_csp_exempt_ro"),
        ):
            value, excluded = policy(report_only=report_only)
            if (
                value
                and header not in response
                and not getattr(response, exempt, False)
                and not request.path_info.startswith(excluded)
            ):
                response[header] = value
        # as django-csp does: a nonce asked for after the header is written is an error, not a silent gap
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
