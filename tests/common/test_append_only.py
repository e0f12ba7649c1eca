"""Ledgers and event tables refuse UPDATE and DELETE in the database itself, on SQLite and PostgreSQL;
only a person's erasure (their actor column set to NULL) and an explicit maintenance lift get through."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from ocophub.accounts.models import Role
from ocophub.common.append_only import APPEND_ONLY_MODELS, append_only_lifted, guarded_tables
from ocophub.common.services import change_record_write
from ocophub.seats import services as seats

from ..conftest import make_user
from ..design import world as design_world
from ..sales import world as sales_world


def _table(label: str) -> str:
    return apps.get_model(label)._meta.db_table


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


@pytest.fixture
def history(loaded_places, django_capture_on_commit_callbacks):
    """At least one row in every append-only table, written by the services."""
    w = sales_world.build()
    sales_world.counter_sale(w)
    from ocophub.common.dates import local_today
    from ocophub.sales.services import settlement_create

    last_month_end = local_today().replace(day=1) - dt.timedelta(days=1)
    settlement_create(
        actor=w.manager_a,
        producer=w.producer_a,
        center=w.center_a,
        period_start=last_month_end.replace(day=1),
        period_end=last_month_end,
    )
    d = design_world.build()
    design_world.submit(d)
    capacity = seats.capacity_create(actor=None, owner_type="tests.room", owner_id=1, total=5)
    seats.seats_hold(
        actor=w.staff_a, lines=[(capacity, 2)], expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    change_record_write(actor=w.manager_a, obj=w.bowl, changes={"list_price": [150_000, 160_000]})
    from ocophub.events import services as events

    from ..events import world as events_world

    session = events_world.session()
    registration = events_world.register(session, method="door")
    events.check_in_by_code(actor=None, code=registration.code, center=session.event.center)
    from ocophub.tours import services as tours

    from ..tours import world as tours_world

    booking = tours_world.book(tours_world.departure(), 1)
    tours.booking_pay(actor=None, booking=booking)
    tours.check_in_by_code(actor=None, code=booking.code)
    checkout = sales_world.checkout(w)
    return {"world": w, "order": checkout}


def test_every_append_only_table_has_its_triggers(db):
    found = guarded_tables()
    for label in APPEND_ONLY_MODELS:
        assert found.get(_table(label)) == {"UPDATE", "DELETE"}, label


def test_updates_and_deletes_are_refused_by_the_database(history):
    tried = 0
    for label in APPEND_ONLY_MODELS:
        table = _table(label)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {_quote(table)} ORDER BY id LIMIT 1")  # noqa: S608
            row = cursor.fetchone()
        if row is None:
            continue
        tried += 1
        for statement in (
            f"UPDATE {_quote(table)} SET id = id WHERE id = %s",  # noqa: S608
            f"DELETE FROM {_quote(table)} WHERE id = %s",  # noqa: S608
        ):
            change = statement.replace("SET id = id", f"SET {_first_text_or_int(label)}")
            refused = pytest.raises(DatabaseError, match="append-only")
            with refused, transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(change, [row[0]])
        assert apps.get_model(label).objects.filter(pk=row[0]).exists(), label
    assert tried == len(APPEND_ONLY_MODELS), "a table had no row to try"


def _first_text_or_int(label: str) -> str:
    """An assignment that changes the row: a text column gets a suffix, else a number is bumped."""
    model = apps.get_model(label)
    for field in model._meta.local_concrete_fields:
        if field.get_internal_type() in ("TextField", "CharField") and not field.primary_key:
            column = _quote(field.column)
            return f"{column} = {column} || 'x'"
    for field in model._meta.local_concrete_fields:
        if field.get_internal_type() in (
            "IntegerField",
            "PositiveIntegerField",
            "BigIntegerField",
            "SmallIntegerField",
        ):
            column = _quote(field.column)
            return f"{column} = {column} + 1"
    raise AssertionError(f"no column to change in {label}")


def test_the_orm_cannot_rewrite_history_either(history):
    from ocophub.inventory.models import Movement

    movement = Movement.objects.order_by("pk").first()
    with pytest.raises(DatabaseError), transaction.atomic():
        Movement.objects.filter(pk=movement.pk).update(on_hand_delta=movement.on_hand_delta + 1)
    with pytest.raises(DatabaseError), transaction.atomic():
        movement.delete()
    assert Movement.objects.get(pk=movement.pk).on_hand_delta == movement.on_hand_delta


def test_erasing_a_person_clears_their_name_and_nothing_else(history):
    from ocophub.catalogue.models import ProductEvent
    from ocophub.common.models import ChangeRecord

    w = history["world"]
    record = ChangeRecord.objects.get(actor=w.manager_a)
    other = make_user(Role.CUSTOMER)
    # naming someone else is a rewrite, refused
    with pytest.raises(DatabaseError), transaction.atomic():
        ChangeRecord.objects.filter(pk=record.pk).update(actor=other)
    # deleting the person sets their actor columns to NULL, which is let through
    w.manager_a.delete()
    record.refresh_from_db()
    assert record.actor_id is None and record.changes == {"list_price": [150_000, 160_000]}
    assert ProductEvent.objects.exists()


def test_maintenance_lifts_the_guard_for_one_transaction(history):
    from ocophub.common.models import ChangeRecord

    record = ChangeRecord.objects.order_by("pk").first()
    with append_only_lifted():
        ChangeRecord.objects.filter(pk=record.pk).delete()
    assert not ChangeRecord.objects.filter(pk=record.pk).exists()
    other = ChangeRecord.objects.order_by("pk").first()
    if other is not None:
        with pytest.raises(DatabaseError), transaction.atomic():
            other.delete()
