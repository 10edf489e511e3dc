"""Seed the standing recipients: group, processors, partner, advertiser, escrow, authorities."""

from django.db import migrations


def seed(apps, schema_editor):
    from hostpact.core import clock
    from hostpact.privacy.disclosures import standing

    standing.seed(apps.get_model("disclosures", "Recipient"),
                  apps.get_model("disclosures", "Agreement"), clock.now())


class Migration(migrations.Migration):

    dependencies = [("disclosures", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
