"""Ledgers and event tables refuse UPDATE and DELETE in the database (common.append_only): the shared
trigger function or permit table, and the history of edits."""

from django.db import migrations

from ocophub.common.append_only import AppendOnly, AppendOnlySetUp


class Migration(migrations.Migration):
    dependencies = [("common", "0003_rate_counter")]

    operations = [AppendOnlySetUp(), AppendOnly("changerecord", nullable=("actor_id",))]
