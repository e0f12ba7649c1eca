# The time columns the audit trail (reports) filters and orders by, indexed.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0004_append_only"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="changerecord",
            index=models.Index(fields=["at"], name="common_change_at"),
        ),
    ]
