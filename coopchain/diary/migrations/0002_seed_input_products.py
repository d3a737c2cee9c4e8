from django.db import migrations


def seed(apps, schema_editor):
    from coopchain.diary.catalogue import seed_input_products

    seed_input_products(
        apps.get_model("diary", "InputProduct"),
        apps.get_model("diary", "InputProductPHI"),
        apps.get_model("land", "Crop"),
    )


class Migration(migrations.Migration):
    dependencies = [("diary", "0001_initial"), ("land", "0002_seed_crops")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
