"""``hostpact seed_demo`` loads synthetic subscribers in bulk, the same ones for the same seed."""

import pytest
from django.core.management import CommandError, call_command

from hostpact.accounts.models import Profile, User
from hostpact.core import audit
from hostpact.core.models import Subject
from hostpact.domains.models import Contact, Domain, RegistryContact, RegistryDomain
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


def test_reseeding_with_the_same_seed_is_refused(capsys):
    """The same seed twice would duplicate people: refused with a clear message."""
    call_command("seed_demo", "--subscribers", "2", "--seed", "3")
    with pytest.raises(CommandError, match="seed 3"):
        call_command("seed_demo", "--subscribers", "2", "--seed", "3")


def test_domains_are_seeded_over_the_seeded_subscribers(capsys):
    """--domains M gives M domains with contacts, owned by the subscribers of the same run,
    and says so; the same seed gives the same domains and owners."""
    call_command("seed_demo", "--subscribers", "3", "--domains", "9", "--seed", "4",
                 "--batch", "4")
    assert "9 domains with their contacts seeded" in capsys.readouterr().out
    first = sorted(Domain.objects.values_list("name", "user__email_index", "privacy"))
    assert len(first) == 9 and Contact.objects.count() == 9
    seeded = set(User.objects.filter(is_staff=False).values_list("pk", flat=True))
    assert set(Domain.objects.values_list("user_id", flat=True)) <= seeded
    Domain.objects.all().delete()
    Contact.objects.all().delete()
    RegistryDomain.objects.all().delete()
    RegistryContact.objects.all().delete()
    _wipe()
    call_command("seed_demo", "--subscribers", "3", "--domains", "9", "--seed", "4")
    assert sorted(Domain.objects.values_list("name", "user__email_index", "privacy")) == first


def test_domains_without_subscribers_are_refused():
    """Domains need owners from the same run: nothing is seeded without --subscribers."""
    with pytest.raises(CommandError, match="--subscribers"):
        call_command("seed_demo", "--subscribers", "0", "--domains", "5")
    assert not Domain.objects.exists() and not User.objects.exists()
