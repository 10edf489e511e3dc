"""Envelope encryption: round trips, crypto-shredding, and blind-index look-ups."""

import time
import uuid

import pytest
from django.db import connection

from hostpact.accounts.models import Profile, User
from hostpact.core import crypto
from hostpact.core.models import Subject
from hostpact.core.subjects import create_subject, shred
from hostpact.testing.processes import run_hostpact

pytestmark = pytest.mark.django_db


def test_encrypt_decrypt_round_trip_and_ciphertext_hides_the_text():
    """A value encrypted under a subject's key decrypts to itself; the token does not show it."""
    subject = create_subject(Subject.Kind.SUBSCRIBER)
    token = crypto.encrypt(subject.id, "account", "Asha Test, 1 Lake Road")
    assert token.startswith(crypto.PREFIX)
    assert "Asha" not in token
    assert crypto.decrypt(token) == "Asha Test, 1 Lake Road"
    assert crypto.encrypt(subject.id, "account", "same") != crypto.encrypt(subject.id, "account",
                                                                          "same")


def test_a_shredded_subjects_ciphertext_cannot_be_decrypted(subscriber):
    """After shred() the stored ciphertext stays where it is but no key can open it."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT name FROM {Profile._meta.db_table} WHERE id = %s",
                    [subscriber.profile.pk])
        token = cur.fetchone()[0]
    assert crypto.decrypt(token) == subscriber.profile.name
    assert shred(subscriber.subject_id) >= 1
    crypto.key_cache.clear()
    with pytest.raises(crypto.ShreddedKeyError):
        crypto.decrypt(token)
    assert Profile.objects.get(pk=subscriber.profile.pk).name is None


def test_blind_index_finds_a_user_by_email_in_any_case(subscriber):
    """The login look-up finds the user by email whatever its case, without storing the email."""
    assert User.objects.get_by_natural_key(subscriber.email.upper()) == subscriber
    assert User.objects.get_by_natural_key(f"  {subscriber.email}  ") == subscriber
    assert crypto.blind_index("email", subscriber.email) == subscriber.email_index
    assert subscriber.email not in subscriber.email_index


def test_unknown_subject_key_is_reported_as_shredded():
    """Decrypting under a subject that never had a key fails loudly, not with garbage."""
    stranger = create_subject(Subject.Kind.VISITOR)
    token = crypto.encrypt(stranger.id, "account", "x")
    stranger.data_keys.all().delete()
    crypto.key_cache.clear()
    with pytest.raises(crypto.ShreddedKeyError):
        crypto.decrypt(token)
    assert isinstance(crypto.parse(token)[0], uuid.UUID)


@pytest.mark.django_db(transaction=True)
def test_a_key_shredded_in_another_process_stops_decrypting_here(settings, monkeypatch):
    """A process that cached a subject's key cannot decrypt with it once another process has
    shredded it and KEY_CACHE_SWEEP_SECONDS has passed (an erasure done by the worker must
    not leave the web server able to read the erased data)."""
    settings.KEY_CACHE_SWEEP_SECONDS = 0.2
    monkeypatch.setattr(crypto, "key_cache", crypto._KeyCache())
    subject = create_subject(Subject.Kind.SUBSCRIBER)
    token = crypto.encrypt(subject.id, crypto.DEFAULT_CLASS, "Asha Test")
    assert crypto.decrypt(token) == "Asha Test"  # the key is now cached here
    run_hostpact("shell", "-c", "from hostpact.core.subjects import shred; "
                 f"assert shred('{subject.id}') == 1")
    time.sleep(0.3)
    with pytest.raises(crypto.ShreddedKeyError):
        crypto.decrypt(token)


@pytest.mark.django_db
def test_the_key_cache_checks_for_shreds_at_most_once_per_sweep_interval(
        subscriber, settings, monkeypatch, django_assert_num_queries):
    """Between sweeps a cached key costs no query; the sweep itself is one small read."""
    settings.KEY_CACHE_SWEEP_SECONDS = 3600
    monkeypatch.setattr(crypto, "key_cache", crypto._KeyCache())
    token = crypto.encrypt(subscriber.subject_id, crypto.DEFAULT_CLASS, "x")
    with django_assert_num_queries(0):
        for _ in range(5):
            assert crypto.decrypt(token) == "x"
