"""Registration data is kept 2 years after sponsorship ends, then shredded and deleted (C41).

Both daily runs do their part: the privacy spine's retention run shreds each contact's key and
clears its ciphertext when its ``KeyExpiry`` is due; the domains purge deletes the rows.
"""

import datetime

import pytest
from dateutil.relativedelta import relativedelta

from hostpact.core import clock
from hostpact.core.models import DataKey
from hostpact.domains.models import Contact, Domain, DomainContact, Nameserver
from hostpact.domains.registry.models import RegistryContact
from hostpact.domains.services.lifecycle import delete_domain
from hostpact.domains.services.retention import purge_ended_registrations
from hostpact.domains.tests.helpers import contact_fields, register
from hostpact.privacy.rights.erasure import services as erasure
from hostpact.privacy.rights.retention import services as retention

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)
ENDED = START + datetime.timedelta(days=5)
GONE = ENDED + relativedelta(years=2)
DAY = datetime.timedelta(days=1)
NAME = "Kept Registrant"


def _daily_runs():
    retention.run()
    return purge_ended_registrations()


@pytest.fixture
def ended(subscriber):
    """A domain registered with one contact in every role, deleted 5 days later."""
    fields = contact_fields(name=NAME)
    with clock.freeze(START):
        domain = register(subscriber, "kept.test", contacts={
            r: fields for r in ("registrant", "admin", "tech", "billing")})
    with clock.freeze(ENDED):
        delete_domain(domain, actor="system:test")
    return domain


def _readable(contact_pk) -> bool:
    contact = Contact.objects.filter(pk=contact_pk).first()
    return contact is not None and contact.name == NAME


@pytest.mark.commitment("C41")
def test_registration_data_is_readable_until_two_years_after_sponsorship_ended(ended):
    """A day before the 2 years are over, both daily runs leave the domain, its name servers
    and roles, the contact and the registry's copy readable; after, the contact's key is
    shredded and every row is deleted, counted."""
    contact = ended.roles.first().contact
    with clock.freeze(GONE - DAY):
        assert _daily_runs()["domains"] == 0
    assert _readable(contact.pk) and Domain.objects.filter(pk=ended.pk).exists()
    assert NAME in RegistryContact.objects.get(handle=contact.handle).data
    with clock.freeze(GONE + datetime.timedelta(hours=1)):
        counts = _daily_runs()
    assert counts["domains"] == 1 and counts["contacts"] == 1
    assert counts["nameservers"] == 2 and counts["roles"] == 4
    assert counts["registry_contacts"] == 1
    assert not Domain.objects.filter(pk=ended.pk).exists()
    assert not Nameserver.objects.filter(domain_id=ended.pk).exists()
    assert not DomainContact.objects.filter(domain_id=ended.pk).exists()
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert not RegistryContact.objects.filter(handle=contact.handle).exists()
    key = DataKey.objects.get(subject_id=contact.contact_subject_id,
                              retention_class="registration")
    assert key.shredded_at is not None and key.wrapped is None
    with clock.freeze(GONE + DAY):
        assert _daily_runs()["domains"] == 0  # idempotent


@pytest.mark.commitment("C41")
def test_an_erased_subscribers_contacts_stay_readable_only_until_their_keep_ends(
        subscriber, ended):
    """Erasing the subscriber after the domain ended keeps the contact's data readable for
    the rest of the 2 years after the domain ended, and no longer."""
    contact = ended.roles.first().contact
    with clock.freeze(ENDED + 30 * DAY):
        job = erasure.erase_subject(subscriber.subject_id, actor="system:test")
    assert job.state == job.State.DONE
    with clock.freeze(GONE - DAY):
        _daily_runs()
    assert _readable(contact.pk)
    with clock.freeze(GONE + DAY):
        _daily_runs()
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert DataKey.objects.get(subject_id=contact.contact_subject_id,
                               retention_class="registration").wrapped is None


def test_a_contact_never_used_by_a_domain_is_not_purged(subscriber, ended):
    """A contact with no domain and no keep begun (made for a future domain) stays."""
    from hostpact.domains.services.contacts import create_contact

    spare = create_contact(subscriber, contact_fields(), actor="system:test")
    with clock.freeze(GONE + DAY):
        _daily_runs()
    assert Contact.objects.filter(pk=spare.pk).exists()
