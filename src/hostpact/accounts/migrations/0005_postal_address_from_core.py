"""Name the profile's address lines as core's ``PostalAddress`` does (``line1``, ``line2``).

Only the columns are renamed: a ciphertext is bound to its subject and retention class (its
authenticated header, ``core.crypto``), not to its column, so every stored value stays readable.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_hash_static_tokens'),
    ]

    operations = [
        migrations.RenameField(
            model_name='profile',
            old_name='address_line1',
            new_name='line1',
        ),
        migrations.RenameField(
            model_name='profile',
            old_name='address_line2',
            new_name='line2',
        ),
    ]
