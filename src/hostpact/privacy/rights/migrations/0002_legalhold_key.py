import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_subject_kind_legal_hold'),
        ('rights', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='legalhold',
            name='role',
            field=models.CharField(default='compliance', help_text='The role under which it was placed, shown to the subscriber.', max_length=32),
        ),
        migrations.AddField(
            model_name='legalhold',
            name='key_subject',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.subject'),
        ),
        migrations.AddField(
            model_name='legalhold',
            name='key_shredded_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
