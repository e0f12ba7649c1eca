"""Fill Center.unit_2025 for existing centers where the answer is unambiguous.

A center's commune in force since 01/07/2025 is the commune itself; an old commune that went wholly
into one new unit (directly or through a January 2025 merge) gives that unit. A commune split in 2025
leaves the field empty: an officer says which part the site is in.
"""

from django.db import migrations


def fill(apps, schema_editor):
    Center = apps.get_model("centers", "Center")
    UnitSuccession = apps.get_model("places", "UnitSuccession")
    successors: dict[int, list[tuple[int, str]]] = {}
    for old_id, new_id, era in UnitSuccession.objects.values_list(
        "predecessor_id", "successor_id", "successor__era"
    ):
        successors.setdefault(old_id, []).append((new_id, era))
    for center in Center.objects.filter(unit_2025__isnull=True).select_related("commune"):
        if center.commune.era == "current":
            found = {center.commune_id}
        else:
            found, frontier, seen = set(), [center.commune_id], {center.commune_id}
            while frontier:
                for new_id, era in successors.get(frontier.pop(), []):
                    if era == "current":
                        found.add(new_id)
                    elif new_id not in seen:
                        seen.add(new_id)
                        frontier.append(new_id)
        if len(found) == 1:
            Center.objects.filter(pk=center.pk).update(unit_2025_id=found.pop())


class Migration(migrations.Migration):
    dependencies = [
        ("centers", "0003_center_unit_2025"),
        ("places", "0002_plural_labels"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
