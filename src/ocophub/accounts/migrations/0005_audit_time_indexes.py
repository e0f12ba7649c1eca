# The time columns the audit trail (reports) filters and orders by, indexed.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_phone_reset_code"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="rolegrant",
            index=models.Index(fields=["created_at"], name="accounts_rolegrant_created"),
        ),
        migrations.AddIndex(
            model_name="rolegrant",
            index=models.Index(fields=["revoked_at"], name="accounts_rolegrant_revoked"),
        ),
    ]
