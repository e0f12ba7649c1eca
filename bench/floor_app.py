"""The floor: the least a WSGI app can do, a fixed JSON body. Served by scripts/serve like the site, it
shows what the server alone costs (`scripts/serve bench.floor_app`)."""

from collections.abc import Callable, Iterable
from typing import Any

BODY = b'{"status": "ok"}'


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))])
    return [BODY]
