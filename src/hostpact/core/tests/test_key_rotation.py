"""``hostpact keys rotate`` re-wraps every data key under a new master key, data stays readable."""

import json

import pytest
from django.core.management import call_command

from hostpact.accounts.models import Profile
from hostpact.core import crypto, keyrotation
from hostpact.core.models import DataKey
from hostpact.testing.factories import make_subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_keyring(settings, tmp_path):
    """A keyring file of this test's own, so rotating it cannot disturb other tests."""
    settings.MASTER_KEY = ""
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    crypto.keyring.reload()
    crypto.key_cache.clear()
    yield settings.MASTER_KEY_FILE
    crypto.keyring.reload()
    crypto.key_cache.clear()


def test_rotation_rewraps_all_keys_and_data_stays_readable(private_keyring, capsys):
    """After rotation every live key is under the new master, the old one is gone from the
    file, and every subscriber's data still decrypts."""
    people = [make_subscriber() for _ in range(3)]
    names = {p.pk: p.profile.name for p in people}
    old_id = json.loads(private_keyring.read_text())["active"]
    assert DataKey.objects.filter(master_key_id=old_id).count() >= 3
    call_command("keys", "rotate", "--grace", "0", "--batch", "2")
    ring = json.loads(private_keyring.read_text())
    assert ring["active"] != old_id and list(ring["keys"]) == [ring["active"]]
    live = DataKey.objects.filter(shredded_at__isnull=True)
    assert set(live.values_list("master_key_id", flat=True)) == {ring["active"]}
    crypto.key_cache.clear()
    crypto.keyring.reload()
    for pk, name in names.items():
        assert Profile.objects.get(user_id=pk).name == name
    assert "data keys re-wrapped" in capsys.readouterr().out


def test_another_process_keyring_reloads_on_an_unknown_key_id(private_keyring):
    """A Keyring loaded before the rotation (like another running process) meets the new key
    id on a re-wrapped data key, reloads the file, and reads the data."""
    person = make_subscriber()
    other_process = crypto.Keyring()
    old_id, _ = other_process.active()
    new_id, n = keyrotation.rotate(grace=0)
    assert n >= 1 and new_id != old_id
    row = DataKey.objects.get(subject_id=person.subject_id, retention_class="account")
    assert row.master_key_id == new_id
    master = other_process.get(new_id)  # unknown to it until it reloads
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    wrapped = bytes(row.wrapped)
    data_key = AESGCM(master).decrypt(wrapped[:12], wrapped[12:], new_id.encode())
    assert len(data_key) == 32
    assert other_process.active()[0] == new_id


def test_a_shredded_key_stays_shredded_through_rotation(private_keyring):
    """Rotation skips destroyed keys: it never brings a shredded subject back."""
    from hostpact.core.subjects import shred

    person = make_subscriber()
    shred(person.subject_id)
    keyrotation.rotate(grace=0)
    assert not DataKey.objects.filter(subject_id=person.subject_id,
                                      wrapped__isnull=False).exists()


def test_rotation_is_refused_with_an_environment_master_key(settings, capsys):
    """A single key from HOSTPACT_MASTER_KEY cannot rotate: the command says so and exits 1."""
    settings.MASTER_KEY = "c2luZ2xlLWtleS1mb3ItdGhpcy10ZXN0LW9ubHktMzI="
    with pytest.raises(SystemExit) as exit_:
        call_command("keys", "rotate")
    assert exit_.value.code == 1
    assert "HOSTPACT_MASTER_KEY" in capsys.readouterr().err
