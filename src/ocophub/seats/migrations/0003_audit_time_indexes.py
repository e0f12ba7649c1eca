# The time columns the audit trail (reports) filters and orders by, indexed.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("seats", "0002_append_only"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="holdevent",
            index=models.Index(fields=["at"], name="seats_holdevent_at"),
        ),
    ]
