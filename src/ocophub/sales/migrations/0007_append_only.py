"""The sales ledgers and event tables refuse UPDATE and DELETE in the database (common.append_only)."""

from django.db import migrations

from ocophub.common.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("sales", "0006_settlement_dispute_bank_account_active"), ("common", "0004_append_only")]

    operations = [
        AppendOnly("orderevent", nullable=("actor_id",)),
        AppendOnly("settlementevent", nullable=("actor_id",)),
    ]
