"""Rename LegalRequest to AuthorityRequest ("legal" also names legal holds and legal bases).

Renames keep the rows: the table, its subjects table and the disclosures' link column follow
the new names.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("disclosures", "0002_standing_recipients")]

    operations = [
        migrations.RenameModel("LegalRequest", "AuthorityRequest"),
        migrations.AlterModelOptions(
            name="authorityrequest",
            options={"ordering": ["-received_at"], "verbose_name": "request from an authority",
                     "verbose_name_plural": "requests from authorities"},
        ),
        migrations.AlterField(
            model_name="authorityrequest",
            name="authority",
            field=models.ForeignKey(
                limit_choices_to={"kind__in": ["complainant", "law_enforcement"]},
                on_delete=django.db.models.deletion.PROTECT, related_name="authority_requests",
                to="disclosures.recipient"),
        ),
        migrations.RenameField("disclosure", "legal_request", "authority_request"),
    ]
