"""The inventory ledgers and event tables refuse UPDATE and DELETE in the database (common.append_only)."""

from django.db import migrations

from ocophub.common.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("inventory", "0002_agreement_event_labels"), ("common", "0004_append_only")]

    operations = [
        AppendOnly("agreementevent", nullable=("actor_id",)),
        AppendOnly("movement", nullable=("actor_id",)),
    ]
