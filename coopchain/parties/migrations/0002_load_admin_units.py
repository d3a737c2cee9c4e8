from django.db import migrations


def load(apps, schema_editor):
    from coopchain.parties.admin_units import load_admin_units

    load_admin_units(apps.get_model("parties", "AdminUnit"))


class Migration(migrations.Migration):
    dependencies = [("parties", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
