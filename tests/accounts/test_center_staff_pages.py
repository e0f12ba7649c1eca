"""The center manager's staff page: live grants, granting and revoking the center's staff roles."""

import pytest
from django.test import Client

from ocophub.accounts import permissions
from ocophub.accounts.models import Role, RoleGrant
from ocophub.accounts.services import role_grant

from ..conftest import make_user
from ..factories import UserFactory
from ..helpers import assert_fixed_queries
from ..sales import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_places):
    return w.build()


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _url(center, tail: str = "") -> str:
    return f"/lam-viec/trung-tam/{center.slug}/nhan-vien/{tail}"


def _live(user, role: str, center) -> bool:
    return RoleGrant.objects.live().filter(user=user, role=role, scope_id=center.pk).exists()


def test_only_the_centers_managers_manage_its_staff(world, city_admin):
    assert permissions.can_manage_center_staff(world.manager_a, world.center_a)
    assert not permissions.can_manage_center_staff(world.manager_a, world.center_b)
    assert not permissions.can_manage_center_staff(world.staff_a, world.center_a)
    assert not permissions.can_manage_center_staff(world.member_a, world.center_a)


def test_the_manager_sees_the_live_grants_with_who_granted_them(world):
    person = UserFactory(full_name="Phạm Thu Hà")
    role_grant(actor=world.manager_a, user=person, role=Role.DESIGNER, scope_id=world.center_a.pk)
    page = _client(world.manager_a).get(_url(world.center_a))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Phạm Thu Hà" in body and str(world.manager_a) in body
    held = {(g.user_id, g.role) for g in page.context["grants"]}
    assert (person.pk, Role.DESIGNER) in held and (world.staff_a.pk, Role.CENTER_STAFF) in held
    assert world.staff_b.pk not in {g.user_id for g in page.context["grants"]}


def test_staff_other_centers_and_anonymous_visitors_do_not_get_the_page(world):
    assert _client(world.staff_a).get(_url(world.center_a)).status_code == 404
    assert _client(world.manager_b).get(_url(world.center_a)).status_code == 404
    assert _client(world.manager_a).get("/lam-viec/trung-tam/khong-co/nhan-vien/").status_code == 404
    anonymous = _client().get(_url(world.center_a))
    assert anonymous.status_code == 302 and "/tai-khoan/dang-nhap/" in anonymous["Location"]


def test_the_list_runs_a_fixed_number_of_queries(world):
    client = _client(world.manager_a)

    def grow(n: int) -> None:
        for _ in range(n):
            role_grant(
                actor=world.manager_a, user=UserFactory(), role=Role.CENTER_STAFF, scope_id=world.center_a.pk
            )

    assert_fixed_queries(lambda: client.get(_url(world.center_a)), grow)


def test_a_manager_grants_the_cashier_role_by_email_or_phone(world):
    by_mail = UserFactory(email="thu.ngan@example.vn")
    by_phone = UserFactory(email=None, phone="+84912000111")
    client = _client(world.manager_a)
    response = client.post(
        _url(world.center_a, "cap-quyen/"), {"login": " Thu.Ngan@example.vn ", "role": "center_staff"}
    )
    assert response.status_code == 302 and response["Location"] == _url(world.center_a)
    response = client.post(_url(world.center_a, "cap-quyen/"), {"login": "0912 000 111", "role": "designer"})
    assert response.status_code == 302
    grant = RoleGrant.objects.live().get(user=by_mail, role=Role.CENTER_STAFF)
    assert grant.scope_id == world.center_a.pk and grant.granted_by == world.manager_a
    assert _live(by_phone, Role.DESIGNER, world.center_a)
    assert permissions.can_sell_at(by_mail, world.center_a)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"login": "", "role": "center_staff"}, "login"),
        ({"login": "khong-co-ai@example.vn", "role": "center_staff"}, "login"),
        ({"login": "0900", "role": "center_staff"}, "login"),
        ({"login": "x" * 300 + "@example.vn", "role": "center_staff"}, "login"),
        ({"login": "nguoi@example.vn", "role": "center_manager"}, "role"),
        ({"login": "nguoi@example.vn", "role": "city_admin"}, "role"),
        ({"login": "nguoi@example.vn", "role": "unit_officer"}, "role"),
        ({"login": "nguoi@example.vn", "role": ""}, "role"),
    ],
)
def test_bad_grants_are_refused_with_a_field_error_and_nothing_written(world, data, field):
    UserFactory(email="nguoi@example.vn")
    before = RoleGrant.objects.count()
    response = _client(world.manager_a).post(_url(world.center_a, "cap-quyen/"), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert RoleGrant.objects.count() == before
    assert 'class="field-error"' in response.content.decode()


def test_field_errors_are_in_vietnamese(world):
    response = _client(world.manager_a).post(
        _url(world.center_a, "cap-quyen/"), {"login": "ai@example.vn", "role": "center_manager"}
    )
    body = response.content.decode()
    assert "Không có tài khoản nào có địa chỉ e-mail hoặc số điện thoại này." in body
    assert "Quản lý trung tâm không thể cấp vai trò này." in body


def test_a_manager_cannot_grant_at_another_center(world):
    person = UserFactory(email="khac@example.vn")
    response = _client(world.manager_a).post(
        _url(world.center_b, "cap-quyen/"), {"login": "khac@example.vn", "role": "center_staff"}
    )
    assert response.status_code == 404
    assert not RoleGrant.objects.filter(user=person).exists()


def test_a_manager_revokes_a_staff_role_with_a_reason(world):
    grant = RoleGrant.objects.live().get(user=world.staff_a, role=Role.CENTER_STAFF)
    response = _client(world.manager_a).post(
        _url(world.center_a, f"{grant.pk}/thu-hoi/"), {"reason": "Nghỉ việc"}
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == world.manager_a
    assert grant.revoke_reason == "Nghỉ việc"
    fresh = type(world.staff_a).objects.get(pk=world.staff_a.pk)
    assert not permissions.can_sell_at(fresh, world.center_a)


def test_a_revocation_needs_a_reason(world):
    grant = RoleGrant.objects.live().get(user=world.staff_a, role=Role.CENTER_STAFF)
    for reason in ("", "   ", "x" * 301):
        response = _client(world.manager_a).post(
            _url(world.center_a, f"{grant.pk}/thu-hoi/"), {"reason": reason}
        )
        assert response.status_code == 400
        assert response.context["revoking"] == grant.pk
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_a_manager_cannot_revoke_another_centers_grant_or_a_managers(world):
    other = RoleGrant.objects.live().get(user=world.staff_b, role=Role.CENTER_STAFF)
    manager = RoleGrant.objects.live().get(user=world.manager_a, role=Role.CENTER_MANAGER)
    colleague = make_user(Role.CENTER_MANAGER, scope_id=world.center_a.pk)
    theirs = RoleGrant.objects.live().get(user=colleague)
    client = _client(world.manager_a)
    for grant in (other, manager, theirs):
        response = client.post(_url(world.center_a, f"{grant.pk}/thu-hoi/"), {"reason": "thử"})
        assert response.status_code == 404
    assert client.post(_url(world.center_b, f"{other.pk}/thu-hoi/"), {"reason": "thử"}).status_code == 404
    assert RoleGrant.objects.live().filter(pk__in=[other.pk, manager.pk, theirs.pk]).count() == 3


def test_a_revoked_grant_cannot_be_revoked_again(world):
    grant = RoleGrant.objects.live().get(user=world.staff_a, role=Role.CENTER_STAFF)
    client = _client(world.manager_a)
    client.post(_url(world.center_a, f"{grant.pk}/thu-hoi/"), {"reason": "Nghỉ việc"})
    assert client.post(_url(world.center_a, f"{grant.pk}/thu-hoi/"), {"reason": "lại"}).status_code == 404


def test_the_menu_links_managers_to_the_staff_page(world):
    body = _client(world.manager_a).get("/").content.decode()
    assert _url(world.center_a) in body
    assert _url(world.center_a) not in _client(world.staff_a).get("/").content.decode()
