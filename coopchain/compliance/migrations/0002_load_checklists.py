from django.db import migrations


def load(apps, schema_editor):
    from coopchain.compliance.checklists import load_checklists

    load_checklists(apps.get_model("compliance", "Checklist"), apps.get_model("compliance", "ControlPoint"))


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
