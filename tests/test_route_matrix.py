"""The route-permission matrix: every URL pattern and API operation, and who may use it.

A route that is not declared here fails the suite. Each declared rule is exercised for a user it
allows, for a user of another scope (404 — or, for rules without scopes, what an unentitled user
gets) and for an anonymous visitor.
"""

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from ocophub.api import api

from .accounts import routes_phone as accounts_phone_routes
from .catalogue import routes_officer as officer_routes
from .catalogue import routes_review
from .catalogue import routes_workspace as workspace_routes
from .centers import routes_center_ops as center_ops_routes
from .centers import routes_officer as officer_center_routes
from .design import routes_api as design_api_routes
from .design import routes_board as design_board_routes
from .design import routes_center as design_center_routes
from .design import routes_portfolio as design_portfolio_routes
from .design import routes_requests as design_request_routes
from .events import routes_api as events_api_routes
from .events import routes_center as events_center_routes
from .events import routes_public as events_public_routes
from .inventory import routes as inventory_routes
from .reports import routes_audit as audit_routes
from .route_rules import (  # noqa: F401
    PAGE,
    REDIRECT,
    Rule,
    _get,
    _import_confirm,
    _import_progress,
    _json,
    _photo,
    _post,
    _upload,
)
from .sales import routes_api as sales_api_routes
from .sales import routes_pos as pos_routes
from .sales import routes_settlements as settlement_routes
from .sales import routes_shop as shop_routes
from .sales import routes_work as sales_work_routes
from .tours import routes_api as tours_api_routes
from .tours import routes_itinerary as tours_itinerary_routes
from .tours import routes_photos as tours_photo_routes
from .tours import routes_public as tours_public_routes
from .tours import routes_visits as tours_visits_routes
from .tours import routes_work as tours_work_routes
from .web import routes_layout as layout_routes
from .web import routes_media as media_routes

# Page routes, by URL name. "admin:*" covers every route of the admin site.
PAGES: dict[str, Rule] = {
    "web:home": Rule(_get("/"), None, PAGE, PAGE),
    "accounts:login": Rule(_get("/tai-khoan/dang-nhap/"), None, PAGE, PAGE),
    "accounts:signup": Rule(_get("/tai-khoan/dang-ky/"), "customer", REDIRECT, PAGE),
    "accounts:password_reset": Rule(_get("/tai-khoan/quen-mat-khau/"), None, PAGE, PAGE),
    "accounts:password_reset_done": Rule(_get("/tai-khoan/quen-mat-khau/da-gui/"), None, PAGE, PAGE),
    # a made-up link: the page says it has expired
    "accounts:password_reset_confirm": Rule(
        _get("/tai-khoan/dat-lai-mat-khau/MQ/khong-hop-le/"), None, PAGE, PAGE
    ),
    "accounts:password_reset_complete": Rule(_get("/tai-khoan/dat-lai-mat-khau/xong/"), None, PAGE, PAGE),
    "accounts:logout": Rule(_post("/tai-khoan/dang-xuat/"), "customer", REDIRECT, REDIRECT),
    "accounts:account": Rule(_get("/tai-khoan/"), "customer", PAGE, REDIRECT),
    "accounts:token_create": Rule(
        _post("/tai-khoan/khoa-api/", {"name": "m"}), "customer", REDIRECT, REDIRECT
    ),
    "accounts:token_revoke": Rule(
        _post(lambda ctx: f"/tai-khoan/khoa-api/{ctx.customer_token.pk}/thu-hoi/"),
        "customer",
        REDIRECT,
        REDIRECT,
        other="officer_b",
    ),
    "set_language": Rule(_post("/i18n/setlang/", {"language": "en", "next": "/"}), None, REDIRECT, REDIRECT),
    "admin:*": Rule(
        _get("/quan-tri/places/craftvillage/"),
        "staff",
        PAGE,
        REDIRECT,
        other="customer",
        other_status=REDIRECT,
    ),
    # ninja's root, used for reversing only: not a page (404 outside DEBUG)
    "api:api-root": Rule(_get("/api/v1/"), None, 404, 404),
    "centers:list": Rule(_get("/trung-tam/"), None, PAGE, PAGE),
    "centers:detail": Rule(
        _get(lambda ctx: f"/trung-tam/{ctx.planned.slug}/"), "officer_a", PAGE, 404, other="officer_b"
    ),
    "programme:dashboard": Rule(_get("/ke-hoach/"), "staff", PAGE, REDIRECT, other="customer"),
    "programme:export_progress": Rule(
        _get("/ke-hoach/xuat/tien-do.xlsx"), "staff", PAGE, REDIRECT, other="customer"
    ),
    "programme:export_funding": Rule(
        _get("/ke-hoach/xuat/nguon-von.xlsx"), "staff", PAGE, REDIRECT, other="customer"
    ),
    "catalogue:search": Rule(_get("/san-pham/?q=gom"), None, PAGE, PAGE),
    "catalogue:suggest": Rule(_get("/san-pham/goi-y/?q=gom"), None, PAGE, PAGE),
    "catalogue:expiring": Rule(
        _get("/san-pham/chung-nhan-sap-het-han/"), "staff", PAGE, REDIRECT, other="customer"
    ),
    "catalogue:product": Rule(
        _get(lambda ctx: f"/san-pham/{ctx.draft.slug}/"), "officer_a", PAGE, 404, other="officer_b"
    ),
    "catalogue:producer": Rule(_get(lambda ctx: f"/chu-the/{ctx.draft.producer.slug}/"), None, PAGE, PAGE),
    "catalogue:labels": Rule(
        _get(lambda ctx: f"/chu-the/{ctx.draft.producer.slug}/nhan-qr/"),
        "officer_a",
        PAGE,
        REDIRECT,
        other="officer_b",
    ),
    "catalogue:village": Rule(_get("/lang-nghe/bat-trang/"), None, PAGE, PAGE),
    "catalogue:trace": Rule(_get(lambda ctx: f"/truy-xuat/{ctx.published.slug}/"), None, PAGE, PAGE),
    "catalogue:qr_svg": Rule(_get(lambda ctx: f"/truy-xuat/{ctx.published.slug}/qr.svg"), None, PAGE, PAGE),
    "catalogue:qr_png": Rule(_get(lambda ctx: f"/truy-xuat/{ctx.published.slug}/qr.png"), None, PAGE, PAGE),
    "catalogue_import:upload": Rule(_get("/san-pham/nhap-excel/"), "staff", PAGE, REDIRECT, other="customer"),
    "catalogue_import:confirm": Rule(_import_confirm, "staff", REDIRECT, REDIRECT, other="customer"),
    "catalogue_import:progress": Rule(_import_progress, "staff", PAGE, REDIRECT, other="customer"),
    "catalogue_import:export": Rule(
        _get("/san-pham/nhap-excel/xuat.xlsx"), "staff", PAGE, REDIRECT, other="customer"
    ),
    "api:openapi-json": Rule(_get("/api/v1/openapi.json"), None, PAGE, PAGE),
    "api:openapi-view": Rule(_get("/api/v1/docs"), None, PAGE, PAGE),
}

# API operations, as "METHOD /path" in the OpenAPI document.
OPERATIONS: dict[str, Rule] = {
    "GET /api/v1/health": Rule(_get("/api/v1/health"), None, 200, 200),
    "GET /api/v1/places/districts": Rule(_get("/api/v1/places/districts"), None, 200, 200),
    "GET /api/v1/places/districts/{code}": Rule(_get("/api/v1/places/districts/18"), None, 200, 200),
    "GET /api/v1/places/communes": Rule(_get("/api/v1/places/communes"), None, 200, 200),
    "GET /api/v1/places/communes/{code}": Rule(_get("/api/v1/places/communes/583"), None, 200, 200),
    "GET /api/v1/places/crafts": Rule(_get("/api/v1/places/crafts"), None, 200, 200),
    "GET /api/v1/places/villages": Rule(_get("/api/v1/places/villages"), None, 200, 200),
    "GET /api/v1/places/villages/{slug}": Rule(_get("/api/v1/places/villages/bat-trang"), None, 200, 200),
    "POST /api/v1/places/villages": Rule(
        _json(
            "post", "/api/v1/places/villages", {"name": "Làng mới", "commune_code": 583, "source": "khảo sát"}
        ),
        "officer_a",
        201,
        401,
        other="officer_b",
    ),
    "PATCH /api/v1/places/villages/{slug}": Rule(
        _json("patch", "/api/v1/places/villages/bat-trang", {"title_year": 1958}),
        "officer_a",
        200,
        401,
        other="officer_b",
    ),
    "GET /api/v1/centers": Rule(_get("/api/v1/centers"), None, 200, 200),
    "GET /api/v1/centers/criteria": Rule(_get("/api/v1/centers/criteria"), None, 200, 200),
    "GET /api/v1/centers/{center_id}": Rule(
        _get(lambda ctx: f"/api/v1/centers/{ctx.planned.pk}"), "officer_a", 200, 404, other="officer_b"
    ),
    "GET /api/v1/centers/{center_id}/events": Rule(
        _get(lambda ctx: f"/api/v1/centers/{ctx.planned.pk}/events"), "officer_a", 200, 404, other="officer_b"
    ),
    "POST /api/v1/centers": Rule(
        _json("post", "/api/v1/centers", {"name": "Trung tâm mới", "commune_code": 583}),
        "officer_a",
        201,
        401,
        other="officer_b",
    ),
    "PATCH /api/v1/centers/{center_id}": Rule(
        _json("patch", lambda ctx: f"/api/v1/centers/{ctx.planned.pk}", {"description": "Mô tả"}),
        "officer_a",
        200,
        401,
        other="officer_b",
    ),
    "POST /api/v1/centers/{center_id}/transitions": Rule(
        _json(
            "post", lambda ctx: f"/api/v1/centers/{ctx.planned.pk}/transitions", {"to": "under_construction"}
        ),
        "officer_a",
        200,
        401,
        other="officer_b",
    ),
    "PUT /api/v1/centers/{center_id}/hours": Rule(
        _json(
            "put",
            lambda ctx: f"/api/v1/centers/{ctx.planned.pk}/hours",
            {"hours": [{"weekday": 0, "opens": "08:00", "closes": "17:00"}]},
        ),
        "officer_a",
        200,
        401,
        other="officer_b",
    ),
    "POST /api/v1/centers/{center_id}/photos": Rule(_photo, "officer_a", 201, 401, other="officer_b"),
    "GET /api/v1/centers/{center_id}/score-sheets": Rule(
        _get(lambda ctx: f"/api/v1/centers/{ctx.planned.pk}/score-sheets"),
        "officer_a",
        200,
        401,
        other="officer_b",
    ),
    "POST /api/v1/centers/{center_id}/score-sheets": Rule(
        _json(
            "post",
            lambda ctx: f"/api/v1/centers/{ctx.planned.pk}/score-sheets",
            {"assessed_on": "2025-01-01", "scores": {"photo": "5"}},
        ),
        "officer_a",
        201,
        401,
        other="officer_b",
    ),
    "GET /api/v1/plans": Rule(_get("/api/v1/plans"), None, 200, 200),
    "GET /api/v1/plans/{code}": Rule(_get("/api/v1/plans/276-KH-UBND"), None, 200, 200),
    "GET /api/v1/plans/{code}/progress": Rule(_get("/api/v1/plans/276-KH-UBND/progress"), None, 200, 200),
    "GET /api/v1/funding/commitments": Rule(_get("/api/v1/funding/commitments"), "customer", 200, 401),
    "GET /api/v1/funding/totals": Rule(_get("/api/v1/funding/totals"), "customer", 200, 401),
    "POST /api/v1/funding/commitments": Rule(
        _json(
            "post",
            "/api/v1/funding/commitments",
            lambda ctx: {
                "center_id": ctx.planned.pk,
                "source": "state_district",
                "amount": 1000,
                "committed_on": "2025-01-02",
                "document": "QĐ",
            },
        ),
        "officer_a",
        201,
        401,
        other="officer_b",
    ),
    "GET /api/v1/funding/commitments/{commitment_id}": Rule(
        _get(lambda ctx: f"/api/v1/funding/commitments/{ctx.commitment.pk}"),
        "officer_a",
        200,
        401,
        other="officer_b",
    ),
    "POST /api/v1/funding/commitments/{commitment_id}/disbursements": Rule(
        _json(
            "post",
            lambda ctx: f"/api/v1/funding/commitments/{ctx.commitment.pk}/disbursements",
            {"amount": 100, "disbursed_on": "2025-02-01", "document": "UNC"},
        ),
        "officer_a",
        201,
        401,
        other="officer_b",
    ),
    "GET /api/v1/products": Rule(_get("/api/v1/products?q=gom"), None, 200, 200),
    "GET /api/v1/products/suggest": Rule(_get("/api/v1/products/suggest?q=gom"), None, 200, 200),
    "GET /api/v1/products/{product_id}": Rule(
        _get(lambda ctx: f"/api/v1/products/{ctx.draft.pk}"), "officer_a", 200, 404, other="officer_b"
    ),
    "POST /api/v1/products": Rule(
        _json(
            "post", "/api/v1/products", lambda ctx: {"producer_id": ctx.draft.producer_id, "name": "Chén mới"}
        ),
        "officer_a",
        201,
        401,
        other="officer_b",
    ),
    "PATCH /api/v1/products/{product_id}": Rule(
        _json("patch", lambda ctx: f"/api/v1/products/{ctx.draft.pk}", {"list_price": 100000}),
        "officer_a",
        200,
        401,
        other="officer_b",
    ),
    "POST /api/v1/products/{product_id}/transitions": Rule(
        _json("post", lambda ctx: f"/api/v1/products/{ctx.draft.pk}/transitions", {"to": "published"}),
        "officer_a",
        200,
        401,
        other="officer_b",
    ),
    "POST /api/v1/products/{product_id}/photos": Rule(
        lambda client, ctx: _upload(client, f"/api/v1/products/{ctx.draft.pk}/photos"),
        "officer_a",
        201,
        401,
        other="officer_b",
    ),
    "POST /api/v1/producers/{producer_id}/photos": Rule(
        lambda client, ctx: _upload(client, f"/api/v1/producers/{ctx.draft.producer_id}/photos"),
        "officer_a",
        201,
        401,
        other="officer_b",
    ),
    "GET /api/v1/producers": Rule(_get("/api/v1/producers"), None, 200, 200),
    "GET /api/v1/producers/{producer_id}": Rule(
        _get(lambda ctx: f"/api/v1/producers/{ctx.draft.producer_id}"), None, 200, 200
    ),
    "POST /api/v1/producers": Rule(
        _json(
            "post", "/api/v1/producers", {"name": "HTX Gốm mới", "kind": "cooperative", "commune_code": 583}
        ),
        "officer_a",
        201,
        401,
        other="officer_b",
    ),
    "PATCH /api/v1/producers/{producer_id}": Rule(
        _json("patch", lambda ctx: f"/api/v1/producers/{ctx.draft.producer_id}", {"phone": "024 3874 1111"}),
        "officer_a",
        200,
        401,
        other="officer_b",
    ),
    "GET /api/v1/certificates": Rule(_get("/api/v1/certificates"), None, 200, 200),
    "POST /api/v1/certificates": Rule(
        _json(
            "post",
            "/api/v1/certificates",
            lambda ctx: {
                "product_id": ctx.draft.pk,
                "decision_number": "5/QĐ",
                "decision_date": "2025-05-05",
                "issuer": "UBND",
                "deciding_level": "province",
                "stars": 4,
            },
        ),
        "officer_a",
        201,
        401,
        other="officer_b",
    ),
    "POST /api/v1/certificates/{certificate_id}/revoke": Rule(
        _json(
            "post", lambda ctx: f"/api/v1/certificates/{ctx.certificate.pk}/revoke", {"reason": "Sai phạm"}
        ),
        "officer_a",
        200,
        401,
        other="officer_b",
    ),
    "GET /api/v1/taxonomy": Rule(_get("/api/v1/taxonomy"), None, 200, 200),
    "GET /api/v1/me": Rule(_get("/api/v1/me"), "customer", 200, 401),
    "GET /api/v1/me/tokens": Rule(_get("/api/v1/me/tokens"), "customer", 200, 401),
    "POST /api/v1/me/tokens": Rule(_json("post", "/api/v1/me/tokens", {"name": "ci"}), "customer", 201, 401),
    "DELETE /api/v1/me/tokens/{token_id}": Rule(
        _json("delete", lambda ctx: f"/api/v1/me/tokens/{ctx.customer_token.pk}"),
        "customer",
        200,
        401,
        other="officer_b",
    ),
}


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            found += _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            found.append((name, prefix + str(entry.pattern)))
    return found


def _api_operations() -> set[str]:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return {f"{method.upper()} {path}" for path, methods in schema["paths"].items() for method in methods}


def test_every_url_pattern_is_declared():
    operations_paths = {op.split(" ", 1)[1] for op in _api_operations()}
    undeclared = []
    for name, route in _walk(get_resolver().url_patterns):
        if name.startswith("admin:") or route.startswith("quan-tri/") or name in PAGES:
            continue
        if name.startswith("api:"):
            # one pattern per API path; its operations are declared in OPERATIONS
            path = "/" + route.replace("<", "{").replace(">", "}")
            path = path.replace("{int:", "{").replace("{str:", "{").replace("{path:", "{")
            if path in operations_paths:
                continue
        undeclared.append(f"{name or '(unnamed)'} {route}")
    assert not undeclared, f"declare these routes in the matrix: {undeclared}"


def test_every_api_operation_is_declared():
    undeclared = sorted(_api_operations() - set(OPERATIONS))
    assert not undeclared, f"declare these API operations in the matrix: {undeclared}"
    stale = sorted(set(OPERATIONS) - _api_operations())
    assert not stale, f"the matrix declares operations that no longer exist: {stale}"


# Each room declares its own routes next to its tests.
for _rules in (
    routes_review,
    inventory_routes,
    pos_routes,
    shop_routes,
    settlement_routes,
    sales_api_routes,
    sales_work_routes,
    media_routes,
    officer_routes,
    workspace_routes,
    officer_center_routes,
    accounts_phone_routes,
    center_ops_routes,
    layout_routes,
    design_request_routes,
    design_center_routes,
    design_api_routes,
    design_portfolio_routes,
    design_board_routes,
    audit_routes,
    events_center_routes,
    events_public_routes,
    events_api_routes,
    tours_public_routes,
    tours_work_routes,
    tours_api_routes,
    tours_visits_routes,
    tours_photo_routes,
    tours_itinerary_routes,
):
    PAGES.update(_rules.PAGES)
    OPERATIONS.update(getattr(_rules, "OPERATIONS", {}))

ALL_RULES = {**PAGES, **OPERATIONS}


def _client_for(ctx: Any, who: str | None) -> Client:
    client = Client()
    if who:
        client.force_login(getattr(ctx, who))
    return client


@pytest.mark.parametrize("route", sorted(ALL_RULES))
def test_anonymous_visitor(route, ctx):
    rule = ALL_RULES[route]
    response = rule.call(Client(), ctx)
    assert response.status_code == rule.anonymous_status, response.content[:300]


@pytest.mark.parametrize("route", sorted(ALL_RULES))
def test_allowed_user(route, ctx):
    rule = ALL_RULES[route]
    response = rule.call(_client_for(ctx, rule.allowed), ctx)
    assert response.status_code == rule.allowed_status, response.content[:300]


@pytest.mark.parametrize("route", sorted(name for name, rule in ALL_RULES.items() if rule.other))
def test_user_of_another_scope(route, ctx):
    rule = ALL_RULES[route]
    response = rule.call(_client_for(ctx, rule.other), ctx)
    assert response.status_code == rule.other_status, response.content[:300]


def test_session_writes_through_the_api_need_the_csrf_token(ctx):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ctx.customer)
    response = client.post("/api/v1/me/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
