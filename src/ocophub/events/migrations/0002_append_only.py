"""The events' state histories and check-ins refuse UPDATE and DELETE in the database (common.append_only)."""

from django.db import migrations

from ocophub.common.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("events", "0001_events_sessions_registrations"), ("common", "0004_append_only")]

    operations = [
        AppendOnly("eventevent", nullable=("actor_id",)),
        AppendOnly("sessionevent", nullable=("actor_id",)),
        AppendOnly("registrationevent", nullable=("actor_id",)),
        AppendOnly("checkin", nullable=("actor_id",)),
    ]
