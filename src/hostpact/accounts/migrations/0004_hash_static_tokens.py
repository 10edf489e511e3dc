"""Move backup codes out of django-otp's static plugin, hashed, and remove the plugin's tables.

The plugin kept every backup code in plain text (``otp_static_statictoken.token``), so a copy
of the database was a set of working second factors. On an install that had it, each of its
devices with codes left becomes a ``BackupCodeDevice`` of the same user holding the codes'
keyed hashes, so unused codes keep working; then its two tables, its migration records and
its content types (with their permissions) go. A new install never had them: nothing to do.

The plugin is no longer installed, so it has no models: its tables are read with SQL, after
asking the database whether they exist.
"""

from collections import defaultdict

from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder

from hostpact.accounts import backup_codes

DEVICES = "otp_static_staticdevice"
TOKENS = "otp_static_statictoken"


def hash_static_tokens(apps, schema_editor):
    """Hash the plugin's codes into accounts' models and drop its tables.

    Uses only ``schema_editor.connection``, so a test can run it inside a test transaction.
    """
    connection = schema_editor.connection
    alias, q = connection.alias, connection.ops.quote_name
    tables = set(connection.introspection.table_names())
    if DEVICES in tables and TOKENS in tables:
        Device = apps.get_model("accounts", "BackupCodeDevice")
        Code = apps.get_model("accounts", "BackupCode")
        tokens = defaultdict(list)
        with connection.cursor() as cur:
            cur.execute(f"SELECT device_id, token FROM {q(TOKENS)} ORDER BY id")
            for device_id, token in cur.fetchall():
                tokens[device_id].append(token)
            cur.execute(f"SELECT id, user_id, name, confirmed FROM {q(DEVICES)} ORDER BY id")
            devices = cur.fetchall()
        for old_id, user_id, name, confirmed in devices:
            if not tokens[old_id]:
                continue
            device = Device.objects.using(alias).create(user_id=user_id, name=name,
                                                        confirmed=bool(confirmed))
            Code.objects.using(alias).bulk_create(
                Code(device=device, code_hash=backup_codes.digest(t)) for t in tokens[old_id])
    with connection.cursor() as cur:
        for table in (TOKENS, DEVICES):  # tokens first: they point at their device
            if table in tables:
                cur.execute(f"DROP TABLE {q(table)}")
    # Were the plugin installed again, its migrations would then create its tables afresh.
    MigrationRecorder(connection).migration_qs.filter(app="otp_static").delete()
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(alias).filter(app_label="otp_static").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_backup_codes"),
        ("contenttypes", "0002_remove_content_type_name"),
        # Admin log entries point at content types: their models must be in the state for the
        # content types' deletion to clear those pointers.
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [
        # Backwards there is nothing to restore: the plain text is gone on purpose, and the
        # hashed codes stay valid.
        migrations.RunPython(hash_static_tokens, migrations.RunPython.noop),
    ]
