from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from ocophub.accounts import permissions
from ocophub.accounts.models import Role, RoleGrant
from ocophub.accounts.services import role_grant
from ocophub.common.errors import DomainError
from ocophub.places import selectors as places

from ..conftest import make_user


def commune(code):
    return places.commune_by_code(code)


def test_unit_officer_covers_the_communes_of_their_district(gia_lam_officer):
    assert permissions.covers_unit(gia_lam_officer, commune(583))
    assert permissions.covers_unit(gia_lam_officer, commune(586))  # dissolved Kim Lan was in Gia Lâm too
    assert not permissions.covers_unit(gia_lam_officer, commune(10192))


def test_officer_of_a_new_unit_covers_the_old_communes_that_went_into_it(loaded_places):
    officer = make_user(Role.UNIT_OFFICER, unit=places.commune_by_code(577, era="current"))  # Xã Bát Tràng
    assert permissions.covers_unit(officer, commune(583))  # old Bát Tràng, partly merged into it
    assert permissions.covers_unit(officer, commune(586))  # Kim Lan, through Kim Đức
    assert not permissions.covers_unit(officer, commune(10192))
    assert not permissions.covers_unit(officer, places.district_by_code(18))  # not the whole old district


def test_center_rules_follow_the_scope(loaded_places):
    from ocophub.centers.services import center_create

    center = center_create(actor=None, name="Trung tâm Bát Tràng", commune=commune(583))
    other_center = center_create(actor=None, name="Trung tâm khác", commune=commune(10192))
    manager = make_user(Role.CENTER_MANAGER, scope_id=center.pk)
    staff = make_user(Role.CENTER_STAFF, scope_id=center.pk)
    assert permissions.can_edit_center(manager, center) and not permissions.can_edit_center(
        manager, other_center
    )
    assert permissions.can_work_at_center(staff, center) and not permissions.can_edit_center(staff, center)
    assert permissions.can_manage_center_operations(manager, center)
    assert not permissions.can_manage_center_operations(staff, center)


def test_producer_members_edit_only_their_producer(loaded_places):
    from ocophub.catalogue.services import producer_save

    producer = producer_save(actor=None, name="HTX Gốm Bát Tràng", kind="cooperative", commune=commune(583))
    member = make_user(Role.PRODUCER_MEMBER, scope_id=producer.pk)
    assert permissions.can_edit_producer(member, SimpleNamespace(pk=producer.pk, commune=None))
    assert not permissions.can_edit_producer(member, SimpleNamespace(pk=producer.pk + 1, commune=None))


def test_city_admin_and_tourism(city_admin, db):
    tourism = make_user(Role.TOURISM)
    assert permissions.is_city_admin(city_admin) and permissions.can_view_city_overview(city_admin)
    assert permissions.can_view_city_overview(tourism) and not permissions.is_city_admin(tourism)
    assert not permissions.can_edit_places(tourism)


def test_anonymous_and_inactive_users_hold_nothing(city_admin):
    assert not permissions.is_city_admin(AnonymousUser())
    city_admin.is_active = False
    assert not permissions.is_city_admin(city_admin)


def test_a_grant_must_carry_the_scope_its_role_needs(loaded_places, db):
    user = make_user()
    with pytest.raises(DomainError):
        role_grant(actor=None, user=user, role=Role.UNIT_OFFICER)
    with pytest.raises(DomainError):
        role_grant(actor=None, user=user, role=Role.CENTER_STAFF)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=user, role=Role.CENTER_STAFF)  # the database refuses it too


def test_granting_twice_keeps_one_row(db):
    user = make_user()
    role_grant(actor=None, user=user, role=Role.CUSTOMER)
    role_grant(actor=None, user=user, role=Role.CUSTOMER)
    assert RoleGrant.objects.filter(user=user).count() == 1
