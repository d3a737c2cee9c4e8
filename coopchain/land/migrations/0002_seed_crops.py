from django.db import migrations


def seed(apps, schema_editor):
    from coopchain.land.crops import seed_crops

    seed_crops(apps.get_model("land", "Crop"))


class Migration(migrations.Migration):
    dependencies = [("land", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
