"""Give a fresh database the default catalogue (idempotent; staff edits are kept)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from hostpact.billing.catalogue import ensure_default_catalogue

    ensure_default_catalogue(apps.get_model("billing", "Product"),
                             apps.get_model("billing", "Price"))


class Migration(migrations.Migration):

    dependencies = [("billing", "0002_catalogue_orders_invoices")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
