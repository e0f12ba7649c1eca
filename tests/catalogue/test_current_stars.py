"""`Product.current_stars`: the stars a product shows today, stored so that lists sort by it, kept right
by every write that changes a certificate's validity and by the daily job as days pass."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from ocophub.catalogue import selectors, services
from ocophub.catalogue.models import CatalogueVersion, Product

from ..conftest import product_named

pytestmark = pytest.mark.django_db


def issue(product, **overrides):
    values = {
        "decision_number": "123/QĐ-UBND",
        "decision_date": dt.date(2025, 3, 1),
        "issuer": "UBND thành phố Hà Nội",
        "deciding_level": "province",
        "stars": 4,
    }
    values.update(overrides)
    return services.certificate_issue(actor=None, product=product, **values)


def computed() -> dict[int, int | None]:
    """Each product's stars as the badge computes them from its certificates, today."""
    badges = {p.pk: selectors.badge(p) for p in selectors.with_details(Product.objects.all())}
    return {pk: (badge.stars if badge else None) for pk, badge in badges.items()}


def stored() -> dict[int, int | None]:
    return dict(Product.objects.values_list("pk", "current_stars"))


def daily(time_machine=None, day: dt.date | None = None) -> str:
    out = io.StringIO()
    if day is not None:
        time_machine.move_to(dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC))
    call_command("run_daily", "--now", stdout=out)
    return out.getvalue()


def test_the_demo_catalogue_stores_the_stars_it_shows(catalogue):
    assert stored() == computed()
    assert {4, None} <= set(stored().values())  # some certified, some not


def test_issue_supersede_and_revoke_keep_the_stars(catalogue):
    product = product_named("Đĩa gốm vẽ tay")
    assert product.current_stars is None
    first = issue(product, stars=3, deciding_level="district", decision_date=dt.date(2025, 1, 10))
    product.refresh_from_db()
    assert product.current_stars == 3 == computed()[product.pk]
    second = issue(product, stars=4, decision_number="9/QĐ", decision_date=dt.date(2025, 6, 1))
    product.refresh_from_db()
    first.refresh_from_db()
    assert first.superseded_by == second
    assert product.current_stars == 4 == computed()[product.pk]
    services.certificate_revoke(actor=None, certificate=second, reason="Vi phạm")
    product.refresh_from_db()
    assert product.current_stars is None and computed()[product.pk] is None
    assert stored() == computed()


def test_a_certificate_that_expires_loses_its_stars_at_the_next_daily_run(catalogue, time_machine):
    time_machine.move_to(dt.datetime(2026, 2, 20, 9, tzinfo=dt.UTC))
    product = product_named("Đĩa gốm vẽ tay")
    issue(product, decision_date=dt.date(2023, 3, 1))  # valid until 01/03/2026
    daily()  # the first run brings every product up to date, then later ones only those that changed
    assert stored()[product.pk] == 4
    version = selectors.catalogue_version()

    daily(time_machine, dt.date(2026, 3, 1))  # the last valid day
    assert stored()[product.pk] == 4
    out = daily(time_machine, dt.date(2026, 3, 3))
    assert stored()[product.pk] is None
    assert stored() == computed()
    assert "products whose stars were brought up to date:" in out
    assert selectors.catalogue_version()[1] > version[1]


def test_a_revocation_dated_ahead_takes_the_stars_on_its_day(catalogue, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC))
    product = product_named("Đĩa gốm vẽ tay")
    certificate = issue(product)
    daily()
    services.certificate_revoke(
        actor=None, certificate=certificate, reason="Hết sản xuất", on=dt.date(2026, 1, 10)
    )
    assert stored()[product.pk] == 4  # still valid until the revocation's day
    daily(time_machine, dt.date(2026, 1, 10))
    assert stored()[product.pk] is None
    assert stored() == computed()


def test_the_daily_run_repairs_every_product_the_first_time_and_after_the_clock_went_back(catalogue):
    product = product_named("Bình hút lộc")
    Product.objects.filter(pk=product.pk).update(current_stars=None)  # as if written around the services
    CatalogueVersion.objects.filter(pk=1).update(stars_on=None)
    daily()
    assert stored() == computed()
    CatalogueVersion.objects.filter(pk=1).update(stars_on=dt.date(2099, 1, 1))
    Product.objects.filter(pk=product.pk).update(current_stars=None)
    daily()
    assert stored() == computed()


def test_the_daily_run_touches_only_products_whose_certificates_changed(catalogue, time_machine):
    time_machine.move_to(dt.datetime(2026, 2, 20, 9, tzinfo=dt.UTC))
    daily()
    untouched = product_named("Bình hút lộc")
    Product.objects.filter(pk=untouched.pk).update(current_stars=5)  # nothing of its changed: left alone
    product = product_named("Đĩa gốm vẽ tay")
    issue(product, decision_date=dt.date(2023, 3, 1))
    daily(time_machine, dt.date(2026, 3, 3))
    assert stored()[product.pk] is None
    assert stored()[untouched.pk] == 5


def test_sort_by_stars_follows_the_computed_stars_without_stars_last(catalogue, time_machine):
    product = product_named("Đĩa gốm vẽ tay")
    issue(product, stars=5, deciding_level="central", decision_number="5/QĐ-TTg")
    names = dict(Product.objects.values_list("pk", "folded_name"))

    def expected(visible: set[int]) -> list[int]:
        stars = computed()
        return sorted(visible, key=lambda pk: (-(stars[pk] or 0), names[pk], pk))

    found = selectors.product_search(AnonymousUser(), selectors.Filters(sort="stars"))
    got = list(found.ordered.values_list("pk", flat=True))
    assert got == expected(set(got))
    assert got[0] == product.pk
    assert stored()[got[-1]] is None

    later = dt.date.today() + dt.timedelta(days=400)  # some demo certificates have expired by then
    daily(time_machine, later)
    found = selectors.product_search(AnonymousUser(), selectors.Filters(sort="stars"))
    got = list(found.ordered.values_list("pk", flat=True))
    assert got == expected(set(got))
