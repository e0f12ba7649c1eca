# The time columns the audit trail (reports) filters and orders by, indexed.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("centers", "0005_append_only"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="centerevent",
            index=models.Index(fields=["at"], name="centers_centerevent_at"),
        ),
    ]
