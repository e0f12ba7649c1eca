"""The shared test helpers must fail when what they check does not hold."""

import pytest
from django.http import HttpResponse, HttpResponseNotFound, JsonResponse

from .helpers import assert_fixed_queries

pytestmark = pytest.mark.django_db


def test_fixed_queries_refuses_an_error_page():
    with pytest.raises(AssertionError, match="expected 200, got 404"):
        assert_fixed_queries(lambda: HttpResponseNotFound("nope"), lambda n: None)


def test_fixed_queries_refuses_a_list_that_does_not_grow():
    with pytest.raises(AssertionError, match="did not grow"):
        assert_fixed_queries(lambda: JsonResponse({"count": 3, "items": []}), lambda n: None)


def test_fixed_queries_accepts_a_growing_list():
    rows: list[int] = []
    assert (
        assert_fixed_queries(lambda: JsonResponse({"count": len(rows)}), lambda n: rows.extend(range(n))) == 0
    )


def test_fixed_queries_takes_another_expected_status():
    assert assert_fixed_queries(lambda: HttpResponse(status=302), lambda n: None, status=302) == 0
