"""Role grants name a real center or producer, keep who granted and revoked them, and stop at once."""

import pytest

from ocophub.accounts import permissions
from ocophub.accounts.models import Role, RoleGrant, User
from ocophub.accounts.services import role_grant, role_grant_revoke
from ocophub.common.errors import Conflict, DomainError
from ocophub.common.models import ChangeRecord
from ocophub.common.selectors import changes_of
from ocophub.places import selectors as places

from ..conftest import make_user


@pytest.fixture
def center(loaded_places):
    from ocophub.centers.services import center_create

    return center_create(actor=None, name="Trung tâm OCOP Bát Tràng", commune=places.commune_by_code(583))


def fresh(user: User) -> User:
    """The user as the next request reads them (nothing cached from this one)."""
    return User.objects.get(pk=user.pk)


def test_a_grant_to_a_center_that_does_not_exist_is_refused_and_writes_nothing(center, city_admin):
    user = make_user()
    records = ChangeRecord.objects.count()
    with pytest.raises(DomainError) as refused:
        role_grant(actor=city_admin, user=user, role=Role.CENTER_MANAGER, scope_id=center.pk + 1000)
    assert refused.value.message == f"Không có trung tâm nào có mã số {center.pk + 1000}."
    assert "scope_id" in refused.value.fields
    assert not RoleGrant.objects.filter(user=user).exists()
    assert ChangeRecord.objects.count() == records


def test_a_grant_to_a_producer_id_that_is_a_center_is_refused(center):
    with pytest.raises(DomainError):
        role_grant(actor=None, user=make_user(), role=Role.PRODUCER_MEMBER, scope_id=center.pk)


def test_a_grant_keeps_who_granted_it_and_names_its_center(center, city_admin):
    user = make_user()
    grant = role_grant(actor=city_admin, user=user, role=Role.CENTER_MANAGER, scope_id=center.pk)
    assert grant.granted_by == city_admin
    assert grant.scope_label == "Trung tâm OCOP Bát Tràng"
    record = changes_of(grant).get()
    assert record.actor == city_admin and record.changes["role"] == [None, Role.CENTER_MANAGER]


def test_a_revoked_grant_is_kept_as_a_record_and_gives_nothing(center, city_admin):
    user = make_user(Role.CENTER_MANAGER, scope_id=center.pk)
    grant = RoleGrant.objects.get(user=user)
    assert permissions.can_manage_center_operations(fresh(user), center)

    role_grant_revoke(actor=city_admin, grant=grant, reason="Chuyển công tác")

    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == city_admin
    assert grant.revoke_reason == "Chuyển công tác"
    assert not permissions.can_manage_center_operations(fresh(user), center)
    assert not permissions.roles_of(fresh(user))
    record = changes_of(grant).first()
    assert record.actor == city_admin and record.note == "Chuyển công tác"
    with pytest.raises(Conflict):
        role_grant_revoke(actor=city_admin, grant=grant, reason="lần nữa")


def test_a_revocation_needs_a_reason(center):
    user = make_user(Role.CENTER_STAFF, scope_id=center.pk)
    with pytest.raises(DomainError):
        role_grant_revoke(actor=None, grant=RoleGrant.objects.get(user=user), reason="  ")
    assert RoleGrant.objects.live().filter(user=user).exists()


def test_a_revoked_role_can_be_granted_again(center):
    user = make_user(Role.CENTER_STAFF, scope_id=center.pk)
    role_grant_revoke(actor=None, grant=RoleGrant.objects.get(user=user), reason="Nghỉ việc")
    again = role_grant(actor=None, user=user, role=Role.CENTER_STAFF, scope_id=center.pk)
    assert RoleGrant.objects.filter(user=user).count() == 2
    assert list(RoleGrant.objects.live().filter(user=user)) == [again]
    assert permissions.can_sell_at(fresh(user), center)


def test_a_revoked_grant_stops_the_bearer_token_at_once(api, center):
    """The center is only proposed, so only the people who work on it see it."""
    manager = make_user(Role.CENTER_MANAGER, scope_id=center.pk)
    client = api.as_user(manager)
    assert client.call("get", f"/api/v1/centers/{center.pk}").status_code == 200

    role_grant_revoke(actor=None, grant=RoleGrant.objects.get(user=manager), reason="Hết nhiệm kỳ")

    assert client.call("get", f"/api/v1/centers/{center.pk}").status_code == 404
