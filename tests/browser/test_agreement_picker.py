"""On a phone, a center manager finds a producer by typing part of its name and signs an agreement:
the form never lists every producer."""

import pytest

from ocophub.catalogue import services as catalogue
from ocophub.inventory.models import Agreement
from ocophub.places import selectors as places

from ..sales import world as w
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_finds_the_producer_by_typing_and_signs(page, screenshot, loaded_places):
    world = w.build()
    for name in ("HTX Mây Tre Phú Vinh", "Hộ Mây Tre Đan Chúc Sơn", "HTX Gốm Kim Lan"):
        catalogue.producer_save(
            actor=None, name=name, kind="cooperative", commune=places.commune_by_code(583)
        )
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, world.manager_a, f"/kho/{world.center_a.slug}/hop-dong/")
    assert page.locator("input[name=producer]").count() == 0
    page.get_by_label("Tìm chủ thể").fill("may tre")
    choices = page.locator("#producer-choices input[name=producer]")
    choices.first.wait_for()
    assert choices.count() == 2
    page.get_by_label("HTX Mây Tre Phú Vinh").check()
    page.get_by_label("Hoa hồng (%)").fill("15")
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('form *')].map(e => e.getBoundingClientRect().right))"
    )
    culprits = page.evaluate(
        "[...document.querySelectorAll('form *')].filter(e => e.getBoundingClientRect().right > 390)"
        ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
    )
    assert widest <= 390, culprits  # the form fits the phone
    screenshot(page, "agreements-01-producer-found-phone")
    with page.expect_navigation():
        page.get_by_role("button", name="Ký hợp đồng").click()
    agreement = Agreement.objects.get(producer__name="HTX Mây Tre Phú Vinh", center=world.center_a)
    assert str(agreement.commission_rate) == "0.1500"
