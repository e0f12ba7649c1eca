# The time columns the audit trail (reports) filters and orders by, indexed.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0013_append_only"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(fields=["created_at"], name="catalogue_certificate_created"),
        ),
        migrations.AddIndex(
            model_name="productevent",
            index=models.Index(fields=["at"], name="catalogue_productevent_at"),
        ),
    ]
