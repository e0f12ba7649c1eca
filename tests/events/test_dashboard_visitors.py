"""The city dashboard shows the events' visitors: people checked in at each center over the 30 days that
end on its day, against those registered for the sessions of those days, and per day; a chart beside
the table; a fixed number of queries whatever the number of centers."""

import pytest
from django.test import Client
from django.utils import timezone

from ocophub.events import services
from ocophub.events.models import PaymentMethod

from ..helpers import assert_fixed_queries
from . import world as w

pytestmark = pytest.mark.django_db


def _day_of(session) -> str:
    return f"{timezone.localdate(session.starts_at):%d/%m/%Y}"


def _visited(center, *, party: int = 3, also_held: int = 0):
    session = w.session(w.event(center), seats=20, days=0.1)
    guest = w.register(session, party, method=PaymentMethod.DOOR, name="Nguyễn Văn An")
    if also_held:
        w.register(session, also_held, name="Trần Thị Bình")  # a transfer still awaited: registered
    services.check_in_by_code(actor=None, code=guest.code, center=center)
    return session


def test_the_city_dashboard_counts_event_visitors_per_center_and_day(client: Client, network, city_admin):
    at_a = w.center("Trung tâm trải nghiệm gốm Bát Tràng")
    at_b = w.center("Trung tâm lụa Vạn Phúc")
    session = _visited(at_a, party=3, also_held=2)
    w.register(w.session(w.event(at_b), seats=10, days=0.1), 4, method=PaymentMethod.DOOR)

    client.force_login(city_admin)
    response = client.get(f"/ke-hoach/?date={_day_of(session)}")
    assert response.status_code == 200
    panel = dict(response.context["panels"])["events/_dashboard_visitors.html"]
    by_center = {row.center.pk: (row.heads, row.expected) for row in panel["rows"]}
    assert by_center == {at_a.pk: (3, 5), at_b.pk: (0, 4)}
    assert (panel["heads"], panel["expected"]) == (3, 9)
    assert panel["days"] == [(timezone.localdate(), 3)]
    html = response.content.decode()
    assert 'data-testid="dashboard-visitors"' in html and "<svg" in html
    assert "Trung tâm trải nghiệm gốm Bát Tràng" in html and "Khách tham dự sự kiện" in html


def test_visitors_outside_the_thirty_days_are_not_counted(client: Client, network, city_admin):
    _visited(w.center("Trung tâm gốm Kim Lan"))
    client.force_login(city_admin)
    later = timezone.localdate() + timezone.timedelta(days=40)
    panel = dict(client.get(f"/ke-hoach/?date={later:%d/%m/%Y}").context["panels"])[
        "events/_dashboard_visitors.html"
    ]
    assert panel["rows"] == [] and panel["heads"] == 0


def test_the_panel_is_a_fixed_number_of_queries(client: Client, network, city_admin):
    client.force_login(city_admin)
    day = f"{timezone.localdate():%d/%m/%Y}"

    def grow(n: int) -> None:
        for _ in range(n):
            _visited(w.center(), party=2, also_held=1)

    assert_fixed_queries(lambda: client.get(f"/ke-hoach/?date={day}"), grow, steps=(1, 4))


def test_others_do_not_see_it(client: Client, network):
    from ocophub.accounts.models import Role

    from ..conftest import make_user

    center = w.center()
    _visited(center)
    client.force_login(make_user(Role.CENTER_MANAGER, scope_id=center.pk))
    assert client.get("/ke-hoach/").status_code == 404
