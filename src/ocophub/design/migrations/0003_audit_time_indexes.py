# The time columns the audit trail (reports) filters and orders by, indexed.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("design", "0002_append_only"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="designevent",
            index=models.Index(fields=["at"], name="design_designevent_at"),
        ),
    ]
