"""The escrow agent receives each domain's expiration date (``user.account``) too: ICANN's
registrar data escrow format carries it. Installations seeded before get the category added."""

from django.db import migrations

CATEGORY = "user.account"


def allow_expiry(apps, schema_editor):
    Recipient = apps.get_model("disclosures", "Recipient")
    for recipient in Recipient.objects.filter(slug="escrow-agent"):
        if CATEGORY not in recipient.allowed_categories:
            recipient.allowed_categories = [*recipient.allowed_categories, CATEGORY]
            recipient.save(update_fields=["allowed_categories"])


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0003_authorityrequest")]
    operations = [migrations.RunPython(allow_expiry, migrations.RunPython.noop)]
