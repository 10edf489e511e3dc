from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_outbox_unconfirmed'),
    ]

    operations = [
        migrations.AlterField(
            model_name='subject',
            name='kind',
            field=models.CharField(choices=[('subscriber', 'Subscriber'), ('contact', 'Contact'), ('inquirer', 'Inquirer'), ('visitor', 'Visitor'), ('staff', 'Staff'), ('legal_hold', 'Legal Hold')], max_length=16),
        ),
    ]
