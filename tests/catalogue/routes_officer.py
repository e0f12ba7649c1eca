"""Route-permission rules of the unit officers' producer, certificate and funding pages (merged into
tests/test_route_matrix.py)."""

from typing import Any

from django.test import Client

from ..route_rules import PAGE, REDIRECT, Rule, _get, _post


def _producer_form(ctx: Any) -> dict[str, str]:
    return {"name": "HTX Gốm Mới", "kind": "cooperative", "commune": str(ctx.published.producer.commune_id)}


def _pay(client: Client, ctx: Any) -> Any:
    prefix = f"pay-{ctx.commitment.pk}"
    return client.post(
        f"/lam-viec/don-vi/nguon-von/cam-ket/{ctx.commitment.pk}/giai-ngan/",
        {f"{prefix}-amount": "1000", f"{prefix}-disbursed_on": "03/09/2024", f"{prefix}-document": "UNC 1"},
    )


PAGES: dict[str, Rule] = {
    # the lists show each officer their own unit: another officer sees theirs, a customer finds none
    "catalogue_officer:producers": Rule(
        _get("/lam-viec/don-vi/chu-the/?q=gom"), "officer_a", PAGE, REDIRECT, other="customer"
    ),
    "catalogue_officer:producer_create": Rule(
        lambda client, ctx: client.post("/lam-viec/don-vi/chu-the/tao/", _producer_form(ctx)),
        "officer_a",
        REDIRECT,
        REDIRECT,
        other="customer",
    ),
    "catalogue_officer:communes": Rule(
        _get("/lam-viec/don-vi/chu-the/xa-phuong/?commune_query=bat"),
        "officer_a",
        PAGE,
        REDIRECT,
        other="customer",
    ),
    "catalogue_officer:villages": Rule(
        _get("/lam-viec/don-vi/chu-the/lang-nghe/?village_query=gom"),
        "officer_a",
        PAGE,
        REDIRECT,
        other="customer",
    ),
    "catalogue_officer:producer": Rule(
        _get(lambda ctx: f"/lam-viec/don-vi/chu-the/{ctx.published.producer_id}/"),
        "officer_a",
        PAGE,
        REDIRECT,
        other="officer_b",
    ),
    "catalogue_officer:producer_edit": Rule(
        lambda client, ctx: client.post(
            f"/lam-viec/don-vi/chu-the/{ctx.published.producer_id}/sua/", _producer_form(ctx)
        ),
        "officer_a",
        REDIRECT,
        REDIRECT,
        other="officer_b",
    ),
    "catalogue_officer:certificate_create": Rule(
        lambda client, ctx: client.post(
            f"/lam-viec/don-vi/chu-the/{ctx.published.producer_id}/chung-nhan/",
            {
                "product": str(ctx.published.pk),
                "stars": "4",
                "deciding_level": "province",
                "decision_number": "7/QĐ",
                "decision_date": "05/01/2025",
                "issuer": "UBND thành phố",
            },
        ),
        "officer_a",
        REDIRECT,
        REDIRECT,
        other="officer_b",
    ),
    "catalogue_officer:certificates": Rule(
        _get("/lam-viec/don-vi/chung-nhan/"), "officer_a", PAGE, REDIRECT, other="customer"
    ),
    "catalogue_officer:certificate_revoke": Rule(
        _post(
            lambda ctx: f"/lam-viec/don-vi/chung-nhan/{ctx.certificate.pk}/thu-hoi/", {"reason": "Sai phạm"}
        ),
        "officer_a",
        REDIRECT,
        REDIRECT,
        other="officer_b",
    ),
    "programme_officer:funding": Rule(
        _get("/lam-viec/don-vi/nguon-von/"), "officer_a", PAGE, REDIRECT, other="customer"
    ),
    "programme_officer:commitment_create": Rule(
        lambda client, ctx: client.post(
            "/lam-viec/don-vi/nguon-von/cam-ket/",
            {
                "center": str(ctx.planned.pk),
                "source": "state_commune",
                "amount": "5.000.000",
                "committed_on": "01/10/2024",
                "document": "QĐ 10/2024",
            },
        ),
        "officer_a",
        REDIRECT,
        REDIRECT,
        other="customer",
    ),
    "programme_officer:disbursement_create": Rule(_pay, "officer_a", REDIRECT, REDIRECT, other="officer_b"),
}

OPERATIONS: dict[str, Rule] = {}
