"""Backup codes: one use each, typed loosely, throttled, replaced, removed, and never stored in
plain text — also the ones django-otp's static plugin held before the upgrade."""

import datetime
import importlib
import logging
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django_otp import match_token

from hostpact.accounts import backup_codes, services
from hostpact.accounts.models import BackupCode, BackupCodeDevice
from hostpact.accounts.tests.helpers import web_login
from hostpact.accounts.tests.test_login import NOON, enable_totp
from hostpact.core import clock
from hostpact.testing.scan import all_cells, find_plaintext

migration = importlib.import_module("hostpact.accounts.migrations.0004_hash_static_tokens")


@pytest.fixture
def no_throttle(settings):
    """The device slows retries after a wrong code (tested below); most tests retry at once."""
    settings.BACKUP_CODE_THROTTLE_FACTOR = 0
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.mark.django_db
def test_a_code_works_once_then_fails(subscriber, no_throttle):
    """A code is accepted once; the same code again is refused, the others still work."""
    codes = services.regenerate_backup_codes(subscriber)
    assert len(codes) == services.BACKUP_CODES == len(set(codes))
    assert isinstance(match_token(subscriber, codes[0]), BackupCodeDevice)
    assert match_token(subscriber, codes[0]) is None
    assert match_token(subscriber, codes[1]) is not None
    assert BackupCode.objects.filter(device__user=subscriber).count() == len(codes) - 2


@pytest.mark.django_db
def test_codes_are_typed_in_any_case_with_or_without_spaces_and_dashes(subscriber, no_throttle):
    """A code shown as "K7QXM-3HT9A" is accepted as "k7qxm-3ht9a", "K7QXM 3HT9A",
    "k7qxm3ht9a" or " K7 qxm-3  HT9A "."""
    codes = services.regenerate_backup_codes(subscriber)
    assert all(len(c) == 11 and c[5] == "-" for c in codes)
    assert all(set(c.replace("-", "")) <= set(backup_codes.ALPHABET) for c in codes)
    typed = [codes[0].lower(), codes[1].replace("-", " "), codes[2].replace("-", "").lower(),
             f" {codes[3][:2]} {codes[3][2:7].lower()}  {codes[3][7:]} "]
    for code in typed:
        assert match_token(subscriber, code) is not None, code


@pytest.mark.django_db
def test_a_wrong_code_is_refused_and_counts_toward_the_lockout(client, subscriber, settings,
                                                             no_throttle):
    """Wrong codes on the second login step answer 400 and count as failed logins: the
    LOCKOUT_THRESHOLD-th locks the account (429), so the right password is refused too and
    no code is used up."""
    _, codes = enable_totp(subscriber)
    with clock.freeze(NOON):
        web_login(client, subscriber)
        for _ in range(settings.LOCKOUT_THRESHOLD - 1):
            assert client.post("/login/verify/", {"code": "ZZZZZ-ZZZZZ"}).status_code == 400
        assert client.post("/login/verify/", {"code": "ZZZZZ-ZZZZZ"}).status_code == 429
        assert web_login(client, subscriber).status_code == 429
    assert BackupCode.objects.filter(device__user=subscriber).count() == len(codes)


@pytest.mark.django_db
def test_wrong_codes_slow_the_device_like_django_otps_own(subscriber, settings):
    """After a wrong code the device refuses even a right one until the throttle delay has
    passed (1 s, then 2 s, ...), and a right code resets the count."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    codes = services.regenerate_backup_codes(subscriber)
    device = BackupCodeDevice.objects.get(user=subscriber)
    assert not device.verify_token("ZZZZZ-ZZZZZ")
    assert not device.verify_token(codes[0])
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttling_failure_timestamp -= datetime.timedelta(seconds=2)
    device.save()
    assert device.verify_token(codes[0])
    device.refresh_from_db()
    assert device.throttling_failure_count == 0 and device.last_used_at is not None


@pytest.mark.django_db
def test_login_with_a_backup_code_says_how_many_remain(client, subscriber, no_throttle):
    """The second login step takes a backup code and warns how many are left."""
    _, codes = enable_totp(subscriber)
    web_login(client, subscriber)
    resp = client.post("/login/verify/", {"code": codes[0].lower()}, follow=True)
    assert resp.status_code == 200 and resp.context["user"].is_verified()
    assert f"You used a backup code; {len(codes) - 1} remain." in resp.content.decode()


@pytest.mark.django_db
def test_new_codes_replace_the_old_ones(subscriber, no_throttle):
    """Making new codes invalidates every old one; the new ones work."""
    old = services.regenerate_backup_codes(subscriber)
    new = services.regenerate_backup_codes(subscriber)
    assert not set(old) & set(new)
    assert all(match_token(subscriber, c) is None for c in old)
    assert match_token(subscriber, new[0]) is not None
    assert BackupCodeDevice.objects.filter(user=subscriber).count() == 1


@pytest.mark.django_db
def test_disabling_two_factor_removes_the_codes(subscriber, no_throttle):
    """Turning two-factor off deletes the backup codes with the authenticator."""
    _, codes = enable_totp(subscriber)
    services.disable_two_factor(subscriber, f"subscriber:{subscriber.customer_id}")
    assert not BackupCodeDevice.objects.filter(user=subscriber).exists()
    assert not BackupCode.objects.exists()
    assert match_token(subscriber, codes[0]) is None


@pytest.mark.django_db
def test_my_information_lists_the_codes_without_showing_them(client, subscriber, no_throttle):
    """My information shows one "Backup codes" section counting the unused codes, each "Set
    (not shown)", with a link to manage them; no code appears."""
    _, codes = enable_totp(subscriber)
    client.force_login(subscriber)
    page = client.get("/panel/information/").content.decode()
    assert page.count(">Backup codes (10 unused)</h2>") == 1
    assert 'data-field="accounts.BackupCode.code_hash"' in page
    assert "Manage backup codes" in page
    for code in codes:
        assert code not in page and backup_codes.normalise(code) not in page


@pytest.mark.django_db(transaction=True)
def test_no_backup_code_in_clear_at_rest(caplog):
    """After codes are made and one is used, the database file, every row, every file under
    var/ and the logs hold none of them, in any of the forms they may be typed."""
    from hostpact.testing.factories import make_subscriber

    caplog.set_level(logging.DEBUG)
    user = make_subscriber()
    codes = services.regenerate_backup_codes(user)
    assert match_token(user, codes[0]) is not None
    needles = codes + [backup_codes.normalise(c) for c in codes]
    # The scanner does see plain text where there is some (a table name in the schema).
    assert find_plaintext(["accounts_backupcode"]) or connection.vendor != "sqlite"
    assert find_plaintext(needles) == []
    assert not [n for n in needles if n in caplog.text]


@pytest.mark.django_db
def test_migration_hashes_the_static_plugins_plain_text_codes(subscriber, other_subscriber,
                                                              no_throttle):
    """On an install that had django-otp's static plugin, the data migration keeps each unused
    code working, stores only its hash, and removes the plugin's tables, migration records,
    content types and permissions."""
    q = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE {q(migration.DEVICES)} (id integer PRIMARY KEY, "
                    "user_id bigint NOT NULL, name varchar(64) NOT NULL, confirmed boolean "
                    "NOT NULL)")
        cur.execute(f"CREATE TABLE {q(migration.TOKENS)} (id integer PRIMARY KEY, "
                    "device_id integer NOT NULL, token varchar(16) NOT NULL)")
        cur.execute(f"INSERT INTO {q(migration.DEVICES)} VALUES (%s, %s, %s, %s), "
                    "(%s, %s, %s, %s)",
                    [7, subscriber.pk, "Backup codes", True, 8, other_subscriber.pk, "Empty",
                     True])
        cur.execute(f"INSERT INTO {q(migration.TOKENS)} VALUES (1, 7, %s), (2, 7, %s)",
                    ["ab2cd3ef", "gh4ij5kl"])
    MigrationRecorder(connection).record_applied("otp_static", "0001_initial")
    stale = ContentType.objects.create(app_label="otp_static", model="statictoken")
    permission = Permission.objects.create(content_type=stale, codename="view_statictoken",
                                           name="Can view static token")
    Group.objects.create(name="old role").permissions.add(permission)

    migration.hash_static_tokens(apps, SimpleNamespace(connection=connection))

    tables = connection.introspection.table_names()
    assert migration.DEVICES not in tables and migration.TOKENS not in tables
    assert not MigrationRecorder(connection).migration_qs.filter(app="otp_static").exists()
    assert not ContentType.objects.filter(app_label="otp_static").exists()
    assert not Permission.objects.filter(pk=permission.pk).exists()
    device = BackupCodeDevice.objects.get(user=subscriber)
    assert device.confirmed and device.codes.count() == 2
    assert not BackupCodeDevice.objects.filter(user=other_subscriber).exists()
    cells = all_cells()
    assert "ab2cd3ef" not in cells and "AB2CD3EF" not in cells
    assert match_token(subscriber, "ab2cd3ef") == device
    assert match_token(subscriber, "GH4I J5KL") == device
    assert match_token(subscriber, "ab2cd3ef") is None


@pytest.mark.django_db
def test_migration_does_nothing_on_a_new_install(subscriber):
    """Without the plugin's tables the data migration creates nothing and fails on nothing."""
    migration.hash_static_tokens(apps, SimpleNamespace(connection=connection))
    assert not BackupCodeDevice.objects.exists()
