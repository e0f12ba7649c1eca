# The time columns the audit trail (reports) filters and orders by, indexed.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0007_append_only"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="orderevent",
            index=models.Index(fields=["at"], name="sales_orderevent_at"),
        ),
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(fields=["created_at"], name="sales_payment_created_at"),
        ),
        migrations.AddIndex(
            model_name="refund",
            index=models.Index(fields=["created_at"], name="sales_refund_created_at"),
        ),
        migrations.AddIndex(
            model_name="refundapproval",
            index=models.Index(fields=["issued_at"], name="sales_refundapproval_issued_at"),
        ),
        migrations.AddIndex(
            model_name="settlementevent",
            index=models.Index(fields=["at"], name="sales_settlementevent_at"),
        ),
        migrations.AddIndex(
            model_name="shift",
            index=models.Index(fields=["opened_at"], name="sales_shift_opened_at"),
        ),
        migrations.AddIndex(
            model_name="shift",
            index=models.Index(fields=["closed_at"], name="sales_shift_closed_at"),
        ),
    ]
