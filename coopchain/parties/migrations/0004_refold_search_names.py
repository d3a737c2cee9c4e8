from django.db import migrations


def refold(apps, schema_editor):
    from coopchain.lib.text import fold

    for model_name, source in (
        ("AdminUnit", "name"),
        ("Organization", "name"),
        ("Member", "head_of_household"),
    ):
        model = apps.get_model("parties", model_name)
        changed = []
        for row in model.objects.only("pk", source, "search_name").iterator():
            folded = fold(getattr(row, source))
            if folded != row.search_name:
                row.search_name = folded
                changed.append(row)
        model.objects.bulk_update(changed, ["search_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("parties", "0003_alter_organization_status_since")]
    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
