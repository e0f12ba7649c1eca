"""Search indexes for product search (see `ocophub.catalogue.search`), one kind per database.

SQLite: two FTS5 tables kept in step by `search.reindex` — words (unicode61, with prefix indexes)
and trigrams of the text without its spaces (typo tolerance). They are filled from the products
already there.
PostgreSQL: the pg_trgm and unaccent extensions and two GIN trigram indexes on the product table —
on `search_text` (word prefixes) and on `search_text` without spaces (trigram similarity).
Going back drops the tables and indexes; the extensions stay, as other objects may use them.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalogue_product_fts "
    "USING fts5(body, tokenize='unicode61', prefix='1 2 3', detail='none')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalogue_product_fts_trigram "
    "USING fts5(body, tokenize='trigram', detail='none')",
    "INSERT INTO catalogue_product_fts (rowid, body) SELECT id, search_text FROM catalogue_product",
    "INSERT INTO catalogue_product_fts_trigram (rowid, body) "
    "SELECT id, replace(search_text, ' ', '') FROM catalogue_product",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS catalogue_product_fts_trigram",
    "DROP TABLE IF EXISTS catalogue_product_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE INDEX IF NOT EXISTS catalogue_product_search_trgm "
    "ON catalogue_product USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS catalogue_product_search_flat_trgm "
    "ON catalogue_product USING gin ((replace(search_text, ' ', '')) gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS catalogue_product_search_flat_trgm",
    "DROP INDEX IF EXISTS catalogue_product_search_trgm",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
            elidable=False,
        ),
    ]
