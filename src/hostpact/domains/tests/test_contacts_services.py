"""Changing a domain contact and its consent to be published: validation, the registry's copy,
the audit trail, and a new verification for a new registrant email."""

import datetime
import re

import pytest
from django.core import signing

from hostpact.core import clock
from hostpact.core.models import AuditEntry, OutboxMessage
from hostpact.domains.models import Contact
from hostpact.domains.registry.models import RegistryContact
from hostpact.domains.services import verification
from hostpact.domains.services.common import DomainError
from hostpact.domains.services.contacts import create_contact, set_publish, update_contact
from hostpact.domains.tests.helpers import contact_fields, register
from hostpact.privacy.disclosures.models import Disclosure
from hostpact.privacy.policy.services import in_force

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)
ROLES = ("registrant", "admin", "tech", "billing")


@pytest.fixture
def domain(subscriber):
    with clock.freeze(START):
        return register(subscriber, "edit.test", contacts={
            r: contact_fields(name="Asha Owner", email="asha@example.test") for r in ROLES})


def registrant(domain) -> Contact:
    return domain.roles.get(role="registrant").contact


def snapshot(contact: Contact) -> dict:
    contact.refresh_from_db()
    return {f.name: getattr(contact, f.name) for f in Contact._meta.concrete_fields}


@pytest.mark.commitment("C03")
def test_a_changed_contact_is_submitted_to_the_registry(domain):
    """A changed contact is sent to the registry for the domain it serves, through the
    disclosures gate, and the audit event names the changed fields only."""
    contact = registrant(domain)
    before = Disclosure.objects.filter(recipient__slug="registry").count()
    with clock.freeze(START + datetime.timedelta(days=1)):
        changed = update_contact(contact, {"city": "Nagpur", "phone": "+91 98765 11111"},
                                 actor="subscriber:test")
    assert changed == ["phone", "city"]
    contact.refresh_from_db()
    assert contact.city == "Nagpur" and contact.name == "Asha Owner"
    assert contact.updated_at == START + datetime.timedelta(days=1)
    assert "Nagpur" in RegistryContact.objects.get(handle=contact.handle).data
    assert Disclosure.objects.filter(recipient__slug="registry").count() == before + 1
    entry = AuditEntry.objects.get(action="domains.contact.update")
    assert sorted(entry.fields) == ["city", "phone"] and entry.object_ref == contact.handle
    assert "Nagpur" not in str(entry.fields)


@pytest.mark.commitment("C03")
@pytest.mark.parametrize("data, field", [
    ({"email": "not-an-email"}, "email"),
    ({"name": "   "}, "name"),
    ({"country": "ZZ"}, "country"),
    ({"phone": "12"}, "phone"),
    ({"favourite_colour": "blue"}, "favourite_colour"),
])
def test_bad_contact_data_is_refused_naming_the_field(domain, data, field):
    """Bad input is refused with an error naming the field, and nothing changes: not the
    contact, not the registry's copy."""
    contact = registrant(domain)
    before = snapshot(contact)
    copy = RegistryContact.objects.get(handle=contact.handle).data
    with pytest.raises(DomainError) as refused:
        update_contact(contact, data, actor="subscriber:test")
    assert refused.value.field == field
    assert snapshot(contact) == before
    assert RegistryContact.objects.get(handle=contact.handle).data == copy
    assert not AuditEntry.objects.filter(action="domains.contact.update").exists()


def test_unchanged_data_changes_nothing(domain):
    """Saving the same values changes nothing and sends nothing."""
    contact = registrant(domain)
    before = Disclosure.objects.count()
    assert update_contact(contact, {"name": "Asha Owner"}, actor="subscriber:test") == []
    assert Disclosure.objects.count() == before


def test_a_new_registrant_email_is_verified_again(domain):
    """A registrant's new email resets its verification and a link goes to the new address;
    the fifteen days start again."""
    contact = registrant(domain)
    mail = OutboxMessage.objects.get(subject_id=contact.contact_subject_id)
    token = re.search(r"/domains/verify/([^/\s]+)/", mail.body).group(1)
    later = START + datetime.timedelta(days=3)
    with clock.freeze(later):
        verification.verify_contact_email(token)
        update_contact(contact, {"email": "asha.new@example.test"}, actor="subscriber:test")
    contact.refresh_from_db()
    assert contact.email_verified_at is None and contact.verification_sent_at == later
    last = OutboxMessage.objects.filter(subject_id=contact.contact_subject_id).latest("id")
    assert last.to_addr == "asha.new@example.test"
    with clock.freeze(later), pytest.raises(signing.BadSignature):
        verification.verify_contact_email(token)  # the old address's link confirms nothing


def test_a_domain_with_privacy_on_keeps_the_service_contact_at_the_registry(subscriber):
    """For a domain with privacy on, a changed contact is not sent: the registry keeps the
    privacy service's contact."""
    private = register(subscriber, "hidden.test", privacy=True)
    contact = registrant(private)
    before = Disclosure.objects.count()
    update_contact(contact, {"city": "Nagpur"}, actor="subscriber:test")
    assert Disclosure.objects.count() == before
    assert not RegistryContact.objects.filter(handle=contact.handle).exists()


def test_a_contact_of_no_domain_changes_without_the_registry(subscriber):
    """A contact no domain uses is changed without a submission or a verification mail."""
    contact = create_contact(subscriber, contact_fields(), "system:test")
    assert update_contact(contact, {"email": "fresh@example.test"},
                          actor="subscriber:test") == ["email"]
    assert not Disclosure.objects.filter(recipient__slug="registry").exists()
    assert not OutboxMessage.objects.filter(subject_id=contact.contact_subject_id).exists()


def test_publishing_is_off_by_default_and_recorded_with_the_policy_version(domain):
    """A contact is unpublished until its owner consents; the consent and its withdrawal are
    recorded with the policy version in force and the moment, and audited."""
    contact = registrant(domain)
    assert contact.publish is False and contact.publish_policy_version is None
    moment = START + datetime.timedelta(days=2)
    with clock.freeze(moment):
        set_publish(contact, True, actor="subscriber:test")
    contact.refresh_from_db()
    assert contact.publish is True and contact.publish_changed_at == moment
    assert contact.publish_policy_version == in_force(moment).number
    with clock.freeze(moment + datetime.timedelta(hours=1)):
        set_publish(contact, False, actor="subscriber:test")
        set_publish(contact, False, actor="subscriber:test")
    contact.refresh_from_db()
    assert contact.publish is False
    assert contact.publish_changed_at == moment + datetime.timedelta(hours=1)
    actions = list(AuditEntry.objects.filter(object_ref=contact.handle,
                                             action__startswith="domains.contact.publish")
                   .values_list("action", flat=True))
    assert actions == ["domains.contact.publish"]
    assert AuditEntry.objects.filter(action="domains.contact.unpublish").count() == 1


def test_publish_takes_only_a_yes_or_no(domain):
    """Anything but True or False is refused, naming the field."""
    with pytest.raises(DomainError) as refused:
        set_publish(registrant(domain), "yes", actor="subscriber:test")
    assert refused.value.field == "publish"
