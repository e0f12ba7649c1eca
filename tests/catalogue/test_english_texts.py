"""The English site shows a product's English name, unit and description where they are filled, and the
Vietnamese texts where they are not; producers enter them in their workspace and through the API."""

import pytest
from django.test import Client

from ocophub.catalogue import services
from ocophub.catalogue.models import Product

from .test_workspace import base, client_of, product_data, world  # noqa: F401

pytestmark = pytest.mark.django_db


def _english() -> Client:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def _published(world, **texts) -> Product:  # noqa: F811
    product = services.product_save(
        actor=None,
        producer=world.producer_a,
        name="Bộ ấm chén men rạn",
        unit="bộ 6 chén",
        description="Men rạn cổ, nung lò ga.",
        list_price=450_000,
        **texts,
    )
    return services.product_transition(actor=None, product=product, to="published")


def test_the_english_page_shows_the_english_texts(world):  # noqa: F811
    product = _published(
        world, name_en="Crackle-glaze tea set", unit_en="set of 6 cups", description_en="Old crackle glaze."
    )
    en = _english().get(f"/san-pham/{product.slug}/").content.decode()
    assert "<h1>Crackle-glaze tea set</h1>" in en and "/ set of 6 cups" in en and "Old crackle glaze." in en
    assert "Bộ ấm chén men rạn" in en  # the Vietnamese name stays beside it, marked as Vietnamese
    vi = Client().get(f"/san-pham/{product.slug}/").content.decode()
    assert "<h1>Bộ ấm chén men rạn</h1>" in vi and "/ bộ 6 chén" in vi and "Crackle-glaze" not in vi
    listing = _english().get("/san-pham/?q=am chen").content.decode()
    assert "Crackle-glaze tea set" in listing


def test_without_english_texts_the_english_page_falls_back_to_vietnamese(world):  # noqa: F811
    product = _published(world)
    en = _english().get(f"/san-pham/{product.slug}/").content.decode()
    assert "<h1>Bộ ấm chén men rạn</h1>" in en and "/ bộ 6 chén" in en and "Men rạn cổ" in en


def test_the_workspace_form_saves_the_english_texts_and_refuses_oversize_ones(world):  # noqa: F811
    client = client_of(world.member_a)
    too_long = client.post(base(world) + "san-pham/tao/", product_data(name_en="x" * 201))
    assert too_long.status_code == 400 and too_long.context["form"].errors["name_en"]
    assert not Product.objects.filter(name="Lọ hoa gốm men rạn").exists()
    saved = client.post(
        base(world) + "san-pham/tao/",
        product_data(name_en="Crackle-glaze vase", unit_en="piece", description_en="Hand made."),
    )
    assert saved.status_code == 302
    made = Product.objects.get(name="Lọ hoa gốm men rạn")
    assert (made.name_en, made.unit_en, made.description_en) == ("Crackle-glaze vase", "piece", "Hand made.")
    form = client.get(f"{base(world)}san-pham/{made.pk}/").content.decode()
    assert 'value="Crackle-glaze vase"' in form


def test_the_api_reads_and_writes_the_english_texts(world, api):  # noqa: F811
    client = api.as_user(world.member_a)
    created = client.call(
        "post",
        "/api/v1/products",
        {"producer_id": world.producer_a.pk, "name": "Khay tre đan", "name_en": "Woven bamboo tray"},
    )
    assert created.status_code == 201 and created.json()["name_en"] == "Woven bamboo tray"
    url = f"/api/v1/products/{created.json()['id']}"
    assert client.call("patch", url, {"unit_en": "u" * 41}).status_code == 422
    patched = client.call("patch", url, {"unit_en": "piece", "name_en": None})
    assert patched.status_code == 200
    assert (patched.json()["unit_en"], patched.json()["name_en"]) == ("piece", "")


def test_the_english_catalogue_names_the_product_groups_in_english(world):  # noqa: F811
    from ocophub.catalogue.models import TaxonomyNode

    group = TaxonomyNode.objects.filter(parent=None).exclude(name_en="").first()
    node = TaxonomyNode.objects.filter(parent__parent=group).first() or group
    product = services.product_save(actor=None, producer=world.producer_a, name="Bình gốm", taxonomy=node)
    services.product_transition(actor=None, product=product, to="published")
    en = _english().get("/san-pham/").content.decode()
    vi = Client().get("/san-pham/").content.decode()
    assert f'value="{group.code}"' in en and f">{group.name_en} (" in en
    assert f">{group.name} (" in vi and f">{group.name_en} (" not in vi
