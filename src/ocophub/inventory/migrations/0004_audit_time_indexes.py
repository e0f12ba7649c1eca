# The time columns the audit trail (reports) filters and orders by, indexed.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0003_append_only"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="agreementevent",
            index=models.Index(fields=["at"], name="inventory_agreementevent_at"),
        ),
    ]
