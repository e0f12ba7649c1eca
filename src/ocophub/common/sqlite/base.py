"""Django's SQLite backend, whose `flush` (emptying a database, as the test runner does between
transactional tests) lifts the append-only guard for its own statements (common.append_only), and whose
connections know `ocophub_fold`, the SQL name of common.text.fold (common.text.Folded)."""

from typing import Any

from django.db.backends.sqlite3 import base, operations

from ocophub.common.append_only import PERMIT_TABLE
from ocophub.common.text import fold


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(
        self, style: Any, tables: Any, *, reset_sequences: bool = False, allow_cascade: bool = False
    ) -> list[str]:
        statements = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if not statements:
            return statements
        lift = f"INSERT INTO {PERMIT_TABLE} (token) VALUES (1)"  # noqa: S608 — a constant name
        return [lift, *statements, f"DELETE FROM {PERMIT_TABLE}"]  # noqa: S608 — a constant name


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_new_connection(self, conn_params: Any) -> Any:
        connection = super().get_new_connection(conn_params)
        connection.create_function("ocophub_fold", 1, fold, deterministic=True)
        return connection
