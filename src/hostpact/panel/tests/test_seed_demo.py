"""``hostpact seed_demo`` loads synthetic subscribers in bulk, the same ones for the same seed."""

import pytest
from django.core.management import CommandError, call_command

from hostpact.accounts.models import Profile, User
from hostpact.core import audit
from hostpact.core.models import Subject
from hostpact.panel import seeding

pytestmark = pytest.mark.django_db


def _snapshot():
    users = User.objects.filter(is_staff=False).order_by("pk").select_related("profile")
    return [(u.email, u.profile.name, u.profile.phone, u.profile.line1, u.profile.city,
             u.profile.date_of_birth, u.payment_methods.get().last4) for u in users]


def _wipe():
    ids = list(User.objects.filter(is_staff=False).values_list("subject_id", flat=True))
    User.objects.filter(is_staff=False).delete()
    Subject.objects.filter(pk__in=ids).delete()


def test_seed_is_deterministic_for_a_seed(capsys):
    """Two loads with one seed give the same people; another seed gives others."""
    call_command("seed_demo", "--subscribers", "7", "--seed", "5", "--batch", "3")
    first = _snapshot()
    assert len(first) == 7
    _wipe()
    call_command("seed_demo", "--subscribers", "7", "--seed", "5")
    assert _snapshot() == first
    assert list(seeding.people(7, 6)) != list(seeding.people(7, 5))
    assert "7 subscribers seeded" in capsys.readouterr().out


def test_seeded_data_is_synthetic_encrypted_and_usable():
    """Emails are on .test/.example domains, fields decrypt through the models, the card is the
    test card, the shared password works, and the ledger stays valid."""
    from django.contrib.auth import authenticate

    call_command("seed_demo", "--subscribers", "4", "--seed", "11")
    users = list(User.objects.filter(is_staff=False))
    assert len(users) == 4 == Profile.objects.count()
    for u in users:
        assert u.email.rsplit(".", 1)[1] in {"test", "example"}
        assert u.payment_methods.get().summary.startswith("Visa •••• 4242")
    assert authenticate(None, username=users[0].email, password=seeding.SEEDED_PASSWORD)
    assert audit.verify().ok


def test_reseeding_with_the_same_seed_is_refused_and_domains_are_reported(capsys):
    """The same seed twice would duplicate people: refused with a clear message."""
    call_command("seed_demo", "--subscribers", "2", "--seed", "3", "--domains", "5")
    assert "domains arrive with the domains issue" in capsys.readouterr().out
    with pytest.raises(CommandError, match="seed 3"):
        call_command("seed_demo", "--subscribers", "2", "--seed", "3")
