# The time columns the audit trail (reports) filters and orders by, indexed.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0002_labels"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(fields=["created_at"], name="programme_commitment_created"),
        ),
        migrations.AddIndex(
            model_name="disbursement",
            index=models.Index(fields=["created_at"], name="programme_disbursement_created"),
        ),
    ]
