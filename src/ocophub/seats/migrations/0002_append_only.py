"""The seats ledgers and event tables refuse UPDATE and DELETE in the database (common.append_only)."""

from django.db import migrations

from ocophub.common.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("seats", "0001_initial"), ("common", "0004_append_only")]

    operations = [
        AppendOnly("holdevent", nullable=("actor_id",)),
        AppendOnly("seatmovement", nullable=("actor_id",)),
    ]
