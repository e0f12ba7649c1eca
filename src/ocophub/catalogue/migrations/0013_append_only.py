"""The catalogue ledgers and event tables refuse UPDATE and DELETE in the database (common.append_only)."""

from django.db import migrations

from ocophub.common.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0012_product_english_texts"), ("common", "0004_append_only")]

    operations = [
        AppendOnly("productevent", nullable=("actor_id",)),
    ]
