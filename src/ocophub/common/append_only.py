"""Ledgers and event tables are append-only in the database itself, not only by convention.

A migration operation, `AppendOnly("movement", nullable=("actor_id",))`, puts triggers on a table that
refuse every UPDATE and DELETE, on PostgreSQL (one shared plpgsql function, ocophub_append_only) and
on SQLite (a pair of triggers per table). One kind of UPDATE is let through: setting the columns in
`nullable` (the user who acted) to NULL, which is what deleting a person's account does to the rows
naming them (on_delete=SET_NULL); nothing else of the row may change.

Maintenance that must remove rows (emptying a test database, a documented repair) lifts the guard
for one transaction with `append_only_lifted()`: on PostgreSQL a transaction-local setting, on
SQLite a row in the ocophub_append_only_off table that the transaction removes again. Emptying a
database with `flush` lifts it by itself (PostgreSQL's TRUNCATE fires no row trigger; on SQLite the
project's database backend wraps the flush, see common/sqlite/base.py).

On SQLite, a migration that alters such a table makes it anew, and the new table has no triggers:
such a migration must apply AppendOnly again (tests/common/test_append_only.py fails until it does).
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, migrations, transaction

# The tables kept append-only, as app_label.model (each owner's migration applies AppendOnly).
APPEND_ONLY_MODELS: tuple[str, ...] = (
    "common.changerecord",
    "catalogue.productevent",
    "centers.centerevent",
    "inventory.agreementevent",
    "inventory.movement",
    "sales.orderevent",
    "sales.settlementevent",
    "design.designevent",
    "seats.holdevent",
    "seats.seatmovement",
    "events.eventevent",
    "events.sessionevent",
    "events.registrationevent",
    "events.checkin",
    "tours.tourevent",
    "tours.departureevent",
    "tours.bookingevent",
    "tours.checkin",
)

PERMIT_TABLE = "ocophub_append_only_off"
PG_SETTING = "ocophub.append_only"

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION ocophub_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    name text;
BEGIN
    IF current_setting('ocophub.append_only', true) = 'off' THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - TG_ARGV) = (to_jsonb(OLD) - TG_ARGV) THEN
        -- only the nullable columns changed: each may only have become NULL
        FOREACH name IN ARRAY TG_ARGV LOOP
            IF to_jsonb(NEW) -> name <> 'null'::jsonb
               AND to_jsonb(NEW) -> name IS DISTINCT FROM to_jsonb(OLD) -> name THEN
                RAISE EXCEPTION 'append-only table %: % refused', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
        END LOOP;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'append-only table %: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;
"""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def trigger_sql(vendor: str, table: str, columns: Sequence[str], nullable: Sequence[str]) -> list[str]:
    """The statements that make `table` append-only (after dropping any earlier version)."""
    statements = drop_sql(vendor, table)
    if vendor == "postgresql":
        arguments = ", ".join(_literal(name) for name in nullable)
        statements.append(
            f"CREATE TRIGGER ocophub_append_only BEFORE UPDATE OR DELETE ON {_quote(table)} "
            f"FOR EACH ROW EXECUTE FUNCTION ocophub_append_only({arguments})"
        )
        return statements
    if vendor != "sqlite":
        raise NotImplementedError(f"append-only tables on {vendor}")
    guard = f"NOT EXISTS (SELECT 1 FROM {PERMIT_TABLE})"  # noqa: S608 — a constant name
    same = [f"NEW.{_quote(c)} IS OLD.{_quote(c)}" for c in columns if c not in nullable]
    erased = [f"(NEW.{_quote(c)} IS NULL OR NEW.{_quote(c)} IS OLD.{_quote(c)})" for c in nullable]
    allowed = " AND ".join(same + erased) or "0"
    refuse = "SELECT RAISE(ABORT, 'append-only table {table}: {op} refused')"
    statements += [
        f"CREATE TRIGGER {_quote(table + '_append_only_delete')} BEFORE DELETE ON {_quote(table)} "
        f"WHEN {guard} BEGIN {refuse.format(table=table, op='DELETE')}; END",
        f"CREATE TRIGGER {_quote(table + '_append_only_update')} BEFORE UPDATE ON {_quote(table)} "
        f"WHEN {guard} AND NOT ({allowed}) BEGIN {refuse.format(table=table, op='UPDATE')}; END",
    ]
    return statements


def drop_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS ocophub_append_only ON {_quote(table)}"]
    return [
        f"DROP TRIGGER IF EXISTS {_quote(table + '_append_only_delete')}",
        f"DROP TRIGGER IF EXISTS {_quote(table + '_append_only_update')}",
    ]


class AppendOnlySetUp(migrations.operations.base.Operation):
    """The shared part: PostgreSQL's trigger function, SQLite's permit table."""

    reversible = True
    reduces_to_sql = True

    def state_forwards(self, app_label: str, state: Any) -> None:
        return None

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(PG_FUNCTION, params=None)
        else:
            schema_editor.execute(f"CREATE TABLE IF NOT EXISTS {PERMIT_TABLE} (token INTEGER NOT NULL)")

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("DROP FUNCTION IF EXISTS ocophub_append_only() CASCADE")
        else:
            schema_editor.execute(f"DROP TABLE IF EXISTS {PERMIT_TABLE}")

    def describe(self) -> str:
        return "Set up append-only tables (trigger function, permit table)"


class AppendOnly(migrations.operations.base.Operation):
    """Make the table of `model_name` (this migration's app) refuse UPDATE and DELETE."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str, nullable: Sequence[str] = ()) -> None:
        self.model_name = model_name
        self.nullable = tuple(nullable)

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.model_name], {"nullable": self.nullable})

    def state_forwards(self, app_label: str, state: Any) -> None:
        return None

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        columns = [field.column for field in model._meta.local_concrete_fields]
        vendor = schema_editor.connection.vendor
        for statement in trigger_sql(vendor, model._meta.db_table, columns, self.nullable):
            schema_editor.execute(statement, params=None)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        model = from_state.apps.get_model(app_label, self.model_name)
        for statement in drop_sql(schema_editor.connection.vendor, model._meta.db_table):
            schema_editor.execute(statement, params=None)

    def describe(self) -> str:
        return f"Make {self.model_name} append-only"


@contextmanager
def append_only_lifted() -> Iterator[None]:
    """Let the current transaction update or delete rows of append-only tables (maintenance only)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, 'off', true)", [PG_SETTING])
            yield
            cursor.execute("SELECT set_config(%s, 'on', true)", [PG_SETTING])
        else:
            cursor.execute(f"INSERT INTO {PERMIT_TABLE} (token) VALUES (1)")  # noqa: S608 — a constant name
            try:
                yield
            finally:
                cursor.execute(f"DELETE FROM {PERMIT_TABLE}")  # noqa: S608 — a constant name


def guarded_tables() -> dict[str, set[str]]:
    """table → the operations its triggers refuse, as the database reports them (for the checks)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT event_object_table, event_manipulation FROM information_schema.triggers "
                "WHERE trigger_name = 'ocophub_append_only'"
            )
            found: dict[str, set[str]] = {}
            for table, operation in cursor.fetchall():
                found.setdefault(table, set()).add(operation)
            return found
        cursor.execute(
            "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_append_only_%'"
        )
        found = {}
        for table, name in cursor.fetchall():
            found.setdefault(table, set()).add("DELETE" if name.endswith("_delete") else "UPDATE")
        return found
