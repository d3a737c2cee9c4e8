from django.db import migrations


def load(apps, schema_editor):
    from coopchain.compliance.checklists import load_checklists

    load_checklists(
        apps.get_model("compliance", "Checklist"), apps.get_model("compliance", "ControlPoint")
    )


class Migration(migrations.Migration):
    """The VietGAP checklist's notice now says which parts are confirmed, and from where."""

    dependencies = [("compliance", "0002_load_checklists")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
