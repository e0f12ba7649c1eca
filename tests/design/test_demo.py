"""The demo design requests: one in each step at the Bát Tràng center, made through the services with
real events and files, loaded twice without duplicates; the portfolio shows the allowed ones only."""

import pytest
from django.test import Client

from ocophub.accounts.demo import DEMO_PASSWORD
from ocophub.accounts.models import Role, RoleGrant, User
from ocophub.design.demo import DESIGNER_LOGIN, demo_design_create
from ocophub.design.models import DesignEvent, DesignFile, DesignRequest, ProductDesign

pytestmark = pytest.mark.django_db


def test_the_demo_loads_twice_without_duplicates_and_the_portfolio_shows_the_allowed_only(catalogue):
    assert demo_design_create() == 6
    requests = DesignRequest.objects.all()
    counts = (requests.count(), DesignEvent.objects.count(), DesignFile.objects.count())
    assert set(requests.values_list("state", flat=True)) == {
        "submitted",
        "in_progress",
        "proposal_sent",
        "delivered",
        "closed",
    }
    assert all(requests.values_list("is_illustrative", flat=True))
    kept_out = requests.get(state="delivered", portfolio_allowed=False)
    in_portfolio = [r for r in requests if r.in_portfolio]
    assert {r.state for r in in_portfolio} == {"delivered", "closed"}
    assert all(r.before_file and r.after_file for r in in_portfolio)
    assert ProductDesign.objects.count() == 2

    assert demo_design_create() == 0
    assert (requests.count(), DesignEvent.objects.count(), DesignFile.objects.count()) == counts

    page = Client().get("/thiet-ke/")
    assert set(page.context["page"].object_list) == set(in_portfolio)
    assert kept_out.title not in page.content.decode()
    for request in in_portfolio:
        assert Client().get(f"/thiet-ke/mau/{request.pk}/anh/after/card/").status_code == 200
    assert Client().get(f"/thiet-ke/mau/{kept_out.pk}/").status_code == 404


def test_the_demo_designer_works_at_the_bat_trang_center_with_the_demo_password(catalogue):
    demo_design_create()
    designer = User.objects.get(email=DESIGNER_LOGIN)
    assert designer.check_password(DEMO_PASSWORD)
    grant = RoleGrant.objects.live().get(user=designer)
    assert grant.role == Role.DESIGNER
    assert DesignRequest.objects.filter(designer=designer, center_id=grant.scope_id).count() == 5
