"""Mark the food, drink and medicinal-herb groups of the rule sets perishable in databases made before
the flag existed (a fresh database gets it from reference.json when the reference data is loaded)."""

from django.db import migrations

PERISHABLE_GROUPS = (
    "1048-thuc-pham",
    "1048-do-uong",
    "1048-thao-duoc",
    "148-thuc-pham",
    "148-do-uong",
    "148-duoc-lieu",
)


def mark(apps, schema_editor):
    TaxonomyNode = apps.get_model("catalogue", "TaxonomyNode")
    TaxonomyNode.objects.filter(code__in=PERISHABLE_GROUPS, parent__isnull=True).update(is_perishable=True)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0006_taxonomy_perishable"),
    ]

    operations = [
        migrations.RunPython(mark, migrations.RunPython.noop),
    ]
