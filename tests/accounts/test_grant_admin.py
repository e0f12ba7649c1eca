"""The admin grants roles through the service: the center or producer is picked by search, the
grant keeps who made it, a missing one is a form error, and revoking keeps the grant on record."""

import pytest
from django.urls import reverse

from ocophub.accounts.models import Role, RoleGrant
from ocophub.places import selectors as places

from ..conftest import make_user
from ..helpers import assert_fixed_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    from ocophub.accounts.models import User

    return User.objects.create_superuser("root@ocophub.vn", "x", full_name="Quản trị", is_staff=True)


@pytest.fixture
def center(loaded_places):
    from ocophub.centers.services import center_create

    return center_create(actor=None, name="Trung tâm OCOP Bát Tràng", commune=places.commune_by_code(583))


ADD = "admin:accounts_rolegrant_add"


def test_the_grant_form_finds_centers_by_search_and_lists_none_of_them(client, center, superuser):
    client.force_login(superuser)
    form = client.get(reverse(ADD)).content.decode()
    assert "Trung tâm OCOP Bát Tràng" not in form  # nothing listed: picked by search
    assert 'data-ajax--url="/quan-tri/accounts/rolegrant/scopes/?kind=center"' in form

    found = client.get(reverse("admin:accounts_rolegrant_scopes"), {"kind": "center", "term": "bat trang"})
    assert found.json() == {
        "results": [{"id": str(center.pk), "text": "Trung tâm OCOP Bát Tràng"}],
        "pagination": {"more": False},
    }
    assert (
        client.get(reverse("admin:accounts_rolegrant_scopes"), {"kind": "center", "term": "xyz"}).json()[
            "results"
        ]
        == []
    )


def test_only_those_who_grant_roles_may_search_scopes(client, center):
    staff = make_user()
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(reverse("admin:accounts_rolegrant_scopes"), {"kind": "center"}).status_code == 403


def test_a_grant_made_in_the_admin_keeps_who_granted_it_and_lists_the_centers_name(client, center, superuser):
    user = make_user()
    client.force_login(superuser)

    response = client.post(reverse(ADD), {"user": user.pk, "role": Role.CENTER_MANAGER, "center": center.pk})

    assert response.status_code == 302, response.content.decode()[:3000]
    grant = RoleGrant.objects.get(user=user)
    assert (grant.scope_id, grant.granted_by) == (center.pk, superuser)
    listing = client.get(reverse("admin:accounts_rolegrant_changelist")).content.decode()
    assert "Trung tâm OCOP Bát Tràng" in listing


def test_a_grant_to_a_center_that_does_not_exist_is_a_form_error_in_vietnamese(client, center, superuser):
    user = make_user()
    client.force_login(superuser)

    response = client.post(reverse(ADD), {"user": user.pk, "role": Role.CENTER_MANAGER, "center": 987654})

    assert response.status_code == 200
    assert "Không có trung tâm nào có mã số 987654." in response.content.decode()
    assert not RoleGrant.objects.filter(user=user).exists()


def test_a_role_and_a_scope_of_another_kind_do_not_mix(client, center, superuser):
    user = make_user()
    client.force_login(superuser)
    response = client.post(reverse(ADD), {"user": user.pk, "role": Role.PRODUCER_MEMBER, "center": center.pk})
    assert response.status_code == 200
    assert not RoleGrant.objects.filter(user=user).exists()


def test_revoking_in_the_admin_keeps_the_grant_and_asks_why(client, center, superuser):
    user = make_user(Role.CENTER_STAFF, scope_id=center.pk)
    grant = RoleGrant.objects.get(user=user)
    client.force_login(superuser)
    revoke = reverse("admin:accounts_rolegrant_revoke", args=[grant.pk])
    assert revoke in client.get(reverse("admin:accounts_rolegrant_change", args=[grant.pk])).content.decode()

    assert client.post(revoke, {"reason": ""}).status_code == 400
    assert client.post(revoke, {"reason": "Nghỉ việc"}).status_code == 302

    grant.refresh_from_db()
    assert (grant.revoked_by, grant.revoke_reason) == (superuser, "Nghỉ việc") and grant.revoked_at
    delete = reverse("admin:accounts_rolegrant_delete", args=[grant.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_the_grant_list_runs_a_fixed_number_of_queries(client, center, superuser):
    client.force_login(superuser)

    def grow(n: int) -> None:
        for _ in range(n):
            make_user(Role.CENTER_STAFF, scope_id=center.pk)

    assert_fixed_queries(lambda: client.get(reverse("admin:accounts_rolegrant_changelist")), grow)
