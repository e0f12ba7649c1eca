"""The centers ledgers and event tables refuse UPDATE and DELETE in the database (common.append_only)."""

from django.db import migrations

from ocophub.common.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("centers", "0004_center_unit_2025_fill"), ("common", "0004_append_only")]

    operations = [
        AppendOnly("centerevent", nullable=("actor_id",)),
    ]
