import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import hostpact.core.fields


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("core", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LoyaltyCard",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("printed_name", hostpact.core.fields.EncryptedTextField(blank=True, null=True)),
                ("phone", hostpact.core.fields.EncryptedTextField(blank=True, null=True)),
                ("points", models.IntegerField(default=0)),
                ("created_at", models.DateTimeField()),
                ("subject", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                              related_name="+", to="core.subject")),
                ("user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL,
                                           related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
        ),
    ]
