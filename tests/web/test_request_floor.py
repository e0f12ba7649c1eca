"""An anonymous public API GET costs its own queries and nothing else: no session read, no user
lookup, no cookie set, no message storage; Vary names Cookie only where the answer depends on it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def _get(url: str, **headers: str):
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(url, headers=headers)
    return response, [query["sql"] for query in captured.captured_queries]


def _vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}


@pytest.mark.django_db
def test_the_health_check_runs_its_one_query_and_sets_no_cookie():
    response, queries = _get("/api/v1/health")
    assert response.status_code == 200 and response.json()["database"] == "ok"
    assert queries == ["SELECT 1"]
    assert not response.cookies and "Set-Cookie" not in response
    assert _vary(response) == {"accept-language"}
    assert response["Content-Language"] == "vi" and "Content-Security-Policy" in response


@pytest.mark.django_db
def test_a_public_list_reads_no_session_and_no_user_for_an_anonymous_client():
    response, queries = _get("/api/v1/products?limit=1")
    assert response.status_code == 200
    assert not any("django_session" in sql or "accounts_user" in sql for sql in queries), queries
    assert len(queries) == 3, queries  # the catalogue's version, the page and the count
    assert not response.cookies
    # a session would widen what is listed, so shared caches must keep answers apart by cookie
    assert "cookie" in _vary(response)


@pytest.mark.django_db
def test_the_api_still_answers_in_the_language_the_client_asks_for():
    response, _queries = _get("/api/v1/no-such-thing", **{"Accept-Language": "en"})
    assert response.status_code == 404 and response["Content-Language"] == "en"
    page, _queries = _get("/", **{"Accept-Language": "en"})
    assert page["Content-Language"] == "vi"  # pages are Vietnamese unless the visitor chose English
