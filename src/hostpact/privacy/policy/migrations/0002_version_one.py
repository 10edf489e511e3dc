"""Load version 1 of the policy (in force since 23 May 2018) from the copy kept in the project."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import migrations

EFFECTIVE = datetime.datetime(2018, 5, 23, tzinfo=ZoneInfo("Asia/Kolkata"))


def load(apps, schema_editor):
    import hostpact.privacy

    PolicyVersion = apps.get_model("policy", "PolicyVersion")
    if PolicyVersion.objects.filter(number=1).exists():
        return
    text = (Path(hostpact.privacy.__file__).parent / "spec" / "privacy-policy.txt").read_text(
        encoding="utf-8")
    PolicyVersion.objects.create(
        number=1, title="Privacy Policy", text=text, effective_at=EFFECTIVE,
        published_at=EFFECTIVE, published_by="migration", material=False, new_uses=[],
        summary="The policy as published on 23 May 2018.",
    )


def unload(apps, schema_editor):
    apps.get_model("policy", "PolicyVersion").objects.filter(number=1,
                                                             published_by="migration").delete()


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
