"""The tours' state histories and check-ins refuse UPDATE and DELETE in the database (common.append_only)."""

from django.db import migrations

from ocophub.common.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("tours", "0001_operators_tours_departures_bookings"), ("common", "0004_append_only")]

    operations = [
        AppendOnly("tourevent", nullable=("actor_id",)),
        AppendOnly("departureevent", nullable=("actor_id",)),
        AppendOnly("bookingevent", nullable=("actor_id",)),
        AppendOnly("checkin", nullable=("actor_id",)),
    ]
