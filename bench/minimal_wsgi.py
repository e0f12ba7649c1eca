"""The floor of the trivial JSON figure: a WSGI app that answers the same body as /api/v1/health and
does nothing else, served by the same server with the same settings."""

from collections.abc import Callable, Iterable
from typing import Any

BODY = b'{"status": "ok"}'


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))])
    return [BODY]
