# Offboardings can be cancelled (the customer has a service again): a third state, whose
# value needs a longer column.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('resellers', '0005_opt_out_channels'),
    ]

    operations = [
        migrations.AlterField(
            model_name='offboarding',
            name='state',
            field=models.CharField(choices=[('offered', 'Export offered'), ('deleted', 'Deleted'), ('cancelled', 'Cancelled: a service runs again')], db_index=True, default='offered', max_length=10),
        ),
    ]
