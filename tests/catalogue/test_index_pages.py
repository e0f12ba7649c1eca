"""The producers' and craft villages' indexes: searched without diacritics, filtered by craft and district,
a page at a time in a fixed number of queries; bad filters answer 400 with the field named."""

import pytest

from ocophub.catalogue import services as catalogue
from ocophub.places import selectors as places
from ocophub.places.models import Craft, CraftVillage

from ..helpers import assert_fixed_queries
from ..sales import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places):
    return w.build()


def names(response, testid: str) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    return [row.name for row in response.context["page"]]


def test_the_producers_index_lists_producers_with_published_goods(client, world):
    bare = catalogue.producer_save(
        actor=None, name="Hộ Mây Tre Phú Vinh (thử)", kind="household", commune=places.commune_by_code(583)
    )
    response = client.get("/chu-the/")
    listed = names(response, "producer-card")
    assert world.producer_a.name in listed and world.producer_b.name in listed
    assert bare.name not in listed
    assert f'href="/chu-the/{world.producer_a.slug}/"' in response.content.decode()


def test_producers_are_found_without_diacritics(client, world):
    assert names(client.get("/chu-the/", {"q": "gom men"}), "producer-card") == [world.producer_a.name]
    assert names(client.get("/chu-the/", {"q": "TRÀ SEN"}), "producer-card") == [world.producer_b.name]


def test_producers_filter_by_district_and_craft(client, world):
    district_a = world.producer_a.commune.parent.code
    assert names(client.get("/chu-the/", {"district": district_a}), "producer-card") == [
        world.producer_a.name
    ]
    village = CraftVillage.objects.filter(crafts__isnull=False).order_by("pk").first()
    craft = village.crafts.order_by("pk").first()
    # no producer is in a village of this craft until one is placed there
    from ocophub.catalogue.models import Producer

    Producer.objects.filter(pk=world.producer_b.pk).update(craft_village=village)
    assert names(client.get("/chu-the/", {"craft": craft.slug}), "producer-card") == [world.producer_b.name]


def test_the_villages_index_searches_and_filters(client, loaded_places):
    everything = client.get("/lang-nghe/")
    total = everything.context["page"].paginator.count
    assert total == CraftVillage.objects.count() and total > 0
    village = CraftVillage.objects.select_related("commune__parent").order_by("pk").first()
    found = names(client.get("/lang-nghe/", {"q": village.folded_name.upper()}), "village-card")
    assert village.name in found
    by_district = client.get("/lang-nghe/", {"district": village.commune.parent.code}).context["page"]
    assert village in by_district.object_list or by_district.paginator.count > len(by_district.object_list)
    assert all(v.commune.parent_id == village.commune.parent_id for v in by_district)
    craft = village.crafts.order_by("pk").first()
    by_craft = client.get("/lang-nghe/", {"craft": craft.slug}).context["page"]
    assert by_craft.paginator.count == CraftVillage.objects.filter(crafts=craft).count()


def test_the_indexes_are_paged(client, loaded_places):
    response = client.get("/lang-nghe/", {"page": "2"})
    assert response.status_code == 200
    if CraftVillage.objects.count() > 24:
        assert response.context["page"].number == 2
    assert client.get("/lang-nghe/", {"page": "abc"}).status_code == 200  # the first page


@pytest.mark.parametrize("path", ["/chu-the/", "/lang-nghe/"])
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "x" * 101}, "q"),
        ({"district": "abc"}, "district"),
        ({"district": "99999"}, "district"),
        ({"craft": "khong-co-nghe-nay"}, "craft"),
    ],
)
def test_bad_filters_answer_400_naming_the_field(client, loaded_places, path, params, field):
    response = client.get(path, params)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert 'class="field-error"' in response.content.decode()
    assert len(response.context["page"].object_list) == 0


def test_an_empty_search_lists_everything(client, world):
    assert client.get("/chu-the/", {"q": "", "district": "", "craft": ""}).status_code == 200


def test_the_producers_index_runs_a_fixed_number_of_queries(client, world):
    commune = places.commune_by_code(583)

    def grow(n: int) -> None:
        for i in range(n):
            producer = catalogue.producer_save(
                actor=None, name=f"HTX Gốm {i}-{n} (thử)", kind="cooperative", commune=commune
            )
            w.make_product(producer, f"Bình gốm {i}-{n}", 100_000, "")

    assert_fixed_queries(lambda: client.get("/chu-the/"), grow)


def test_the_villages_index_runs_a_fixed_number_of_queries(client, loaded_places):
    commune = CraftVillage.objects.order_by("pk").first().commune
    craft = Craft.objects.order_by("pk").first()

    def grow(n: int) -> None:
        for i in range(n):
            village = CraftVillage.objects.create(
                name=f"Làng thử {i}-{n}", slug=f"lang-thu-{i}-{n}", commune=commune
            )
            village.crafts.add(craft)

    assert_fixed_queries(lambda: client.get("/lang-nghe/", {"q": "lang thu"}), grow)


def test_the_catalogue_picks_a_todays_unit_by_name(client, world):
    from ocophub.places.models import AdministrativeUnit, Era, Level

    units = AdministrativeUnit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE)
    html = client.get("/san-pham/").content.decode()
    select = html[html.index('name="unit"') : html.index("</select>", html.index('name="unit"'))]
    assert select.count("<option") == units.count() + 1  # and "All"
    assert 'type="number" name="unit"' not in html
    today = units.get(code=577)  # today's Xã Bát Tràng, where producer A works
    assert f'<option value="577">{today.name}</option>' in select
    response = client.get("/san-pham/", {"unit": "577"})
    assert '<option value="577" selected>' in response.content.decode()
    assert [p.name for p, _c in response.context["products"]] == [world.bowl.name]
