"""The domain privacy service: the registry receives the service's contact, not the
customer's, while privacy is on (policy 4.8)."""

import json

import pytest
from django.conf import settings

from hostpact.domains import services
from hostpact.domains.models import DomainContact
from hostpact.domains.registry import connector
from hostpact.domains.registry.models import RegistryContact
from hostpact.domains.tests.helpers import contact_fields, register
from hostpact.privacy.disclosures.models import Disclosure

pytestmark = pytest.mark.django_db


def registry_copy(name: str) -> dict[str, dict]:
    """The registry's copy of each role's contact data."""
    roles = connector().info(name).contacts
    return {role: json.loads(RegistryContact.objects.get(handle=handle).data)
            for role, handle in roles.items()}


def customer_contact_subjects(domain) -> set:
    return {str(r.contact.contact_subject_id)
            for r in DomainContact.objects.filter(domain=domain).select_related("contact")}


def registry_disclosures_of(subject_ids: set):
    return Disclosure.objects.filter(recipient__slug="registry",
                                     links__subject_id__in=list(subject_ids)).distinct()


@pytest.mark.commitment("C29")
def test_a_private_registration_sends_the_service_contact_and_discloses_no_contact(subscriber):
    """Registered with privacy on, every role at the registry is the privacy service's contact;
    no disclosure of the customer's contacts to the registry is recorded, and the registrar
    keeps the real contacts."""
    owner = contact_fields(name="Kavya Private", email="kavya@private.example")
    domain = register(subscriber, "hidden.test", privacy=True,
                      contacts={r: owner for r in services.ROLES})
    service = settings.DOMAIN_PRIVACY_SERVICE
    copy = registry_copy("hidden.test")
    assert set(copy) == set(services.ROLES)
    for data in copy.values():
        assert data["name"] == service["name"] and data["email"] == service["email"]
        assert "Kavya" not in json.dumps(data)
    assert set(connector().info("hidden.test").contacts.values()) == {service["handle"]}
    assert not registry_disclosures_of(customer_contact_subjects(domain)).exists()
    [submission] = Disclosure.objects.filter(recipient__slug="registry")
    assert submission.categories == ["user.contact.url"]  # the domain name, nothing more
    registrant = DomainContact.objects.get(domain=domain, role="registrant").contact
    assert registrant.name == "Kavya Private"


@pytest.mark.commitment("C29")
def test_switching_privacy_off_discloses_the_customer_contacts_and_on_withdraws_them(
        subscriber):
    """Switching privacy off sends the customer's contacts to the registry (a recorded
    disclosure); switching it on again replaces them with the service's, disclosing nothing."""
    owner = contact_fields(name="Arjun Switch")
    domain = register(subscriber, "switch.test", privacy=True,
                      contacts={r: owner for r in services.ROLES})
    subjects = customer_contact_subjects(domain)
    services.set_privacy(domain, False, actor="system:test")
    assert all(d["name"] == "Arjun Switch" for d in registry_copy("switch.test").values())
    [disclosure] = registry_disclosures_of(subjects)
    assert "user.name" in disclosure.categories
    services.set_privacy(domain, True, actor="system:test")
    service = settings.DOMAIN_PRIVACY_SERVICE
    assert all(d["name"] == service["name"] for d in registry_copy("switch.test").values())
    assert registry_disclosures_of(subjects).count() == 1


def test_a_public_registration_still_sends_the_customer_contacts(subscriber):
    """Without privacy the registry holds and is disclosed the customer's own contacts."""
    owner = contact_fields(name="Dev Public")
    domain = register(subscriber, "public.test", contacts={r: owner for r in services.ROLES})
    assert all(d["name"] == "Dev Public" for d in registry_copy("public.test").values())
    assert registry_disclosures_of(customer_contact_subjects(domain)).count() == 1


def test_setting_privacy_to_its_current_value_sends_nothing(subscriber):
    """Switching privacy on for a private domain sends nothing and records no disclosure."""
    domain = register(subscriber, "same.test", privacy=True)
    before = Disclosure.objects.count()
    services.set_privacy(domain, True, actor="system:test")
    assert Disclosure.objects.count() == before
