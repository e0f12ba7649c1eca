"""Input that no client sends on purpose, over HTTP: NUL characters in paths, numbers for dates,
bodies that are not objects. Each is refused with a 4xx before anything is read or written."""

import pytest
from django.test import Client

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
