"""Service health for load balancers and monitoring."""

import logging
from typing import Literal

from django.db import connection
from django.http import HttpRequest
from ninja import Router, Schema, Status

import ocophub

logger = logging.getLogger(__name__)
router = Router(tags=["health"])


class Health(Schema):
    status: Literal["ok", "degraded"]
    database: Literal["ok", "unavailable"]
    version: str


@router.get("/health", response={200: Health, 503: Health}, summary="Health check")
def health(request: HttpRequest) -> Status:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # any database failure means "unavailable"
        logger.exception("health check: database unavailable")
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return Status(
        status, {"status": "ok" if status == 200 else "degraded", "database": database, "version": VERSION}
    )


VERSION = getattr(ocophub, "__version__", "0.1.0")
