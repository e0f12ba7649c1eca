"""Input that no client sends on purpose, over HTTP: NUL characters in paths, numbers for dates,
bodies that are not objects. Each is refused with a 4xx before anything is read or written."""

import datetime as dt

import pytest
from django.forms.models import model_to_dict
from django.test import Client

from ocophub.common.models import ChangeRecord
from ocophub.places.models import CraftVillage
from ocophub.programme.models import Commitment, Disbursement
from ocophub.programme.services import commitment_create

from .conftest import center_named
from .sales import world as sample

NUL_API_PATHS = [
    "/api/v1/plans/a%00b",
    "/api/v1/plans/a%00b/progress",
    "/api/v1/places/villages/a%00b",
    "/api/v1/orders/a%00b",
]


@pytest.fixture
def world(loaded_places):
    return sample.build()


@pytest.mark.parametrize("path", NUL_API_PATHS)
def test_nul_in_an_api_path_is_not_found(api, world, city_admin, path):
    response = api.as_user(city_admin).call("get", path)
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Không tìm thấy.", "fields": {}}}


@pytest.mark.parametrize("page", ["/quay/{center}/hoa-don/a%00b/", "/cua-hang/quan-ly/{center}/a%00b/"])
def test_nul_in_a_page_path_is_the_sites_not_found_page(world, page):
    client = Client()
    client.force_login(world.manager_a)
    response = client.get(page.format(center=world.center_a.slug))
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]


def test_the_same_pages_without_nul_are_reachable(world):
    """The pages above are the ones a manager of the center opens: the 404 is the NUL's doing."""
    sale = sample.counter_sale(world, seller=world.manager_a)
    client = Client()
    client.force_login(world.manager_a)
    assert client.get(f"/quay/{world.center_a.slug}/hoa-don/{sale.number}/").status_code == 200
    assert client.get(f"/cua-hang/quan-ly/{world.center_a.slug}/").status_code == 200


def test_nul_in_an_api_path_answers_in_the_clients_language(api, db):
    response = api.call("get", "/api/v1/plans/a%00b", headers={"Accept-Language": "en"})
    assert response.status_code == 404 and response.json()["error"]["message"] == "Not found."


# --- dates are ISO 8601 text, nothing else ----------------------------------------------------------

NOT_DATES = [
    0,
    1_700_000_000,
    1.5,
    True,
    "0",
    "1700000000",
    "01/03/2024",
    "2024-3-1",
    "٢٠٢٤-٠٣-٠١",
    [],
    {},
    None,
]


def commitment_body(**fields):
    body = {
        "center_id": center_named("Kim Lan").pk,
        "source": "state_city",
        "amount": 10_000_000,
        "committed_on": "2024-01-01",
        "document": "QĐ",
    }
    return {**body, **fields}


@pytest.mark.parametrize("value", NOT_DATES)
def test_a_commitment_dated_by_anything_but_an_iso_date_is_refused(api, network, city_admin, value):
    before = Commitment.objects.count()
    response = api.as_user(city_admin).call(
        "post", "/api/v1/funding/commitments", commitment_body(committed_on=value)
    )
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid" and "committed_on" in error["fields"], error
    assert Commitment.objects.count() == before


def test_a_commitment_dated_in_iso_8601_is_recorded(api, network, city_admin):
    response = api.as_user(city_admin).call(
        "post", "/api/v1/funding/commitments", commitment_body(committed_on="2024-03-01")
    )
    assert response.status_code == 201, response.content
    assert Commitment.objects.get(pk=response.json()["id"]).committed_on.isoformat() == "2024-03-01"


@pytest.mark.parametrize("value", [0, 1_700_000_000, "1700000000", "2024-05-01T00:00:00"])
def test_a_disbursement_dated_by_a_number_is_refused(api, network, city_admin, value):
    commitment = commitment_create(
        actor=None,
        center=center_named("Kim Lan"),
        source="state_city",
        amount=1_000_000,
        committed_on=dt.date(2024, 3, 1),
        document="QĐ 1/2024",
    )
    before = Disbursement.objects.count()
    response = api.as_user(city_admin).call(
        "post",
        f"/api/v1/funding/commitments/{commitment.pk}/disbursements",
        {"amount": 1_000, "disbursed_on": value, "document": "UNC"},
    )
    assert response.status_code == 422, response.content
    assert "disbursed_on" in response.json()["error"]["fields"]
    assert Disbursement.objects.count() == before


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/plans/276-KH-UBND/progress?date=",
        "/api/v1/places/communes?date=",
        "/api/v1/places/communes/583?date=",
    ],
)
@pytest.mark.parametrize("value", ["0", "1700000000", "20241231", "31/12/2024", "2024-12-31T00:00"])
def test_a_date_in_a_query_is_an_iso_date_only(api, network, path, value):
    response = api.call("get", path + value)
    assert response.status_code == 422, response.content
    assert response.json()["error"]["fields"] == {"date": response.json()["error"]["fields"]["date"]}
    assert api.call("get", path + "2024-12-31").status_code == 200


# --- bodies are JSON objects ------------------------------------------------------------------------

NOT_OBJECTS = ["[null, null]", "[]", "1", '"x"', "null", "true"]


@pytest.mark.parametrize("body", NOT_OBJECTS)
def test_a_patch_whose_body_is_not_an_object_is_refused_and_changes_nothing(api, network, city_admin, body):
    center = center_named("Kim Lan")
    village = CraftVillage.objects.get(slug="bat-trang")
    before = (model_to_dict(center), model_to_dict(village))
    counts = ChangeRecord.objects.count()
    client = api.as_user(city_admin)
    for path in (f"/api/v1/centers/{center.pk}", "/api/v1/places/villages/bat-trang"):
        response = client.generic(
            "PATCH", path, body, content_type="application/json", headers=client.headers_for
        )
        assert response.status_code == 422, (path, response.content)
        assert response.json()["error"]["code"] == "invalid"
        assert "body" in response.json()["error"]["fields"]
    center.refresh_from_db()
    village.refresh_from_db()
    assert (model_to_dict(center), model_to_dict(village)) == before
    assert ChangeRecord.objects.count() == counts


@pytest.mark.parametrize("body", NOT_OBJECTS)
def test_a_post_whose_body_is_not_an_object_is_refused_and_writes_nothing(api, network, city_admin, body):
    before = Commitment.objects.count()
    client = api.as_user(city_admin)
    response = client.generic(
        "POST",
        "/api/v1/funding/commitments",
        body,
        content_type="application/json",
        headers=client.headers_for,
    )
    assert response.status_code == 422, response.content
    assert "body" in response.json()["error"]["fields"]
    assert Commitment.objects.count() == before


def test_a_patch_with_an_object_still_edits(api, network, city_admin):
    response = api.as_user(city_admin).call(
        "patch", "/api/v1/places/villages/bat-trang", {"title_year": 1958}
    )
    assert response.status_code == 200 and CraftVillage.objects.get(slug="bat-trang").title_year == 1958


def test_an_over_long_query_string_is_refused_with_414_before_any_view(client, db):
    long_query = "q=" + "g%C3%B4m" * 700  # over MAX_QUERY_STRING bytes
    api = client.get(f"/api/v1/products?{long_query}")
    assert api.status_code == 414 and api.json()["error"]["code"] == "uri_too_long"
    page = client.get(f"/san-pham/?{long_query}")
    assert page.status_code == 414 and "quá dài" in page.content.decode()
    assert client.get("/api/v1/products?q=g%C3%B4m").status_code == 200


def test_a_boolean_or_a_string_is_not_a_number_of_dong_or_an_id(api, catalogue, city_admin):
    from ocophub.catalogue.models import Product

    client = api.as_user(city_admin)
    product = Product.objects.first()
    before = Product.objects.count()
    for wrong in (False, True, "150000", 150000.5):
        refused = client.call("patch", f"/api/v1/products/{product.pk}", {"list_price": wrong})
        assert refused.status_code == 422 and "list_price" in refused.json()["error"]["fields"], wrong
        created = client.call("post", "/api/v1/products", {"producer_id": True, "name": "Chén"})
        assert created.status_code == 422 and "producer_id" in created.json()["error"]["fields"]
    assert Product.objects.count() == before
    assert client.call("patch", f"/api/v1/products/{product.pk}", {"list_price": 123000}).status_code == 200
    assert Product.objects.get(pk=product.pk).list_price == 123000
