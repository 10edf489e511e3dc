"""Registering and managing a domain: contacts, name servers, lock, auth code, privacy."""

import datetime

import pytest
from django.db import connection

from hostpact.core import clock, crypto
from hostpact.core.models import AuditEntry, Subject
from hostpact.domains import services
from hostpact.domains.models import Contact, Domain, DomainContact
from hostpact.domains.registry import connector
from hostpact.domains.registry.models import RegistryContact, RegistryDomain
from hostpact.domains.tests.helpers import contact_fields, register
from hostpact.privacy.disclosures.models import Disclosure
from hostpact.privacy.disclosures.services.subject_view import for_subject
from hostpact.privacy.rights.erasure import services as erasure
from hostpact.privacy.rights.guard import SubjectErased

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def frozen():
    with clock.freeze(START):
        yield START


def test_a_registration_makes_the_domain_at_the_registry_with_its_roid(subscriber, frozen):
    """A registration makes the domain at the registry with its ROID."""
    domain = register(subscriber, "Shop.test", years=2)
    assert domain.name == "shop.test"
    assert domain.roid.endswith("_DOMAIN-HP")
    assert RegistryDomain.objects.get(name="shop.test").roid == domain.roid
    assert domain.expires_at == START.replace(year=2028)
    assert domain.statuses == ["clientTransferProhibited"]
    assert domain.transfer_lock_until == START + datetime.timedelta(days=60)
    assert domain.auto_renew and not domain.privacy
    assert AuditEntry.objects.filter(action="domains.domain.register",
                                     subject_id=subscriber.subject_id).exists()


def test_an_idn_is_registered_under_its_a_label(subscriber):
    """An IDN is registered under its A-label."""
    domain = register(subscriber, "bücher.test")
    assert domain.name == "xn--bcher-kva.test"


@pytest.mark.commitment("C03")
def test_the_four_contacts_are_collected_and_submitted_to_the_registry(subscriber):
    """Registrant, admin, tech and billing contacts are kept for the domain, each a contact
    of its own subject with a C<n>-HP handle, and the registry receives them."""
    owner = contact_fields(name="Asha Owner")
    other = contact_fields(name="Tech Person")
    domain = register(subscriber, "four.test", contacts={
        "registrant": owner, "admin": owner, "tech": other, "billing": owner})
    roles = {r.role: r.contact for r in DomainContact.objects.filter(domain=domain)}
    assert set(roles) == {"registrant", "admin", "tech", "billing"}
    assert roles["registrant"] == roles["admin"] == roles["billing"] != roles["tech"]
    for contact in roles.values():
        assert contact.handle == f"C{contact.pk}-HP"
        assert contact.contact_subject.kind == Subject.Kind.CONTACT
        assert contact.subject_id == subscriber.subject_id
        assert not contact.publish
    info = connector().info("four.test")
    assert info.contacts == {r: c.handle for r, c in roles.items()}
    copy = RegistryContact.objects.get(handle=roles["tech"].handle)
    assert copy.subject_id == roles["tech"].contact_subject_id
    assert "Tech Person" in copy.data


@pytest.mark.commitment("C22")
def test_the_registry_receives_contacts_only_through_the_disclosures_gate(subscriber):
    """The submission is one disclosure to the registry (its standing agreement) of exactly
    the categories sent, for the service, and the subscriber sees it."""
    no_org = contact_fields(organization="", line2="")
    register(subscriber, "gate.test", contacts={r: no_org for r in services.ROLES})
    disclosure = Disclosure.objects.get(recipient__slug="registry")
    assert disclosure.purpose == "essential.service"
    assert disclosure.agreement is not None
    assert set(disclosure.categories) == {
        "user.contact.url", "user.name", "user.contact.email", "user.contact.phone_number",
        "user.contact.address.street", "user.contact.address.city",
        "user.contact.address.state", "user.contact.address.postal_code",
        "user.contact.address.country"}  # no organization: none was sent
    seen = for_subject(subscriber.subject_id)
    assert [d["purpose"] for d in seen if d["id"] == disclosure.pk] == ["essential.service"]
    contact = Contact.objects.get(user=subscriber)
    assert disclosure.links.filter(subject_id=contact.contact_subject_id).exists()


@pytest.mark.commitment("C22")
def test_a_refused_disclosure_sends_nothing_and_registers_nothing(subscriber):
    """A refused disclosure sends nothing and registers nothing."""
    from hostpact.privacy.disclosures.models import Recipient
    from hostpact.privacy.disclosures.services import DisclosureRefused

    Recipient.objects.filter(slug="registry").update(active=False)
    with pytest.raises(DisclosureRefused):
        register(subscriber, "refused.test")
    assert not RegistryDomain.objects.exists() and not Domain.objects.exists()
    assert not Contact.objects.exists()


def test_an_existing_contact_is_reused_by_its_handle(subscriber):
    """An existing contact is reused by its handle."""
    contact = services.create_contact(subscriber, contact_fields(), "system:test")
    domain = register(subscriber, "reuse.test",
                      contacts={r: contact.handle for r in services.ROLES})
    assert set(domain.roles.values_list("contact", flat=True)) == {contact.pk}
    assert Contact.objects.count() == 1


def test_another_subscribers_contact_handle_is_refused(subscriber, other_subscriber):
    """Another subscriber's contact handle is refused."""
    theirs = services.create_contact(other_subscriber, contact_fields(), "system:test")
    with pytest.raises(services.DomainError) as info:
        register(subscriber, "theirs.test", contacts={r: theirs.handle for r in services.ROLES})
    assert info.value.code == "unknown_contact" and info.value.field == "contacts.registrant"
    assert not Domain.objects.exists()


def test_a_taken_name_is_refused_and_nothing_is_written(subscriber, other_subscriber):
    """A taken name is refused and nothing is written."""
    register(other_subscriber, "taken.test")
    contacts, disclosures = Contact.objects.count(), Disclosure.objects.count()
    with pytest.raises(services.DomainError) as info:
        register(subscriber, "TAKEN.test")
    assert info.value.code == "taken"
    assert (Contact.objects.count(), Disclosure.objects.count()) == (contacts, disclosures)


@pytest.mark.parametrize("kwargs,code", [
    ({"years": 0}, "years"), ({"years": 11}, "years"),
    ({"nameservers": ["ns1.hosting.example"]}, "nameserver_count"),
    ({"nameservers": [f"ns{i}.hosting.example" for i in range(14)]}, "nameserver_count"),
    ({"nameservers": ["ns1.hosting.example", "NS1.hosting.example"]}, "nameserver_repeated"),
    ({"nameservers": ["ns1.hosting.example", "-bad.example"]}, "hyphen"),
    ({"nameservers": ["ns1.glue.test", "ns2.hosting.example"]}, "glue_required"),
    ({"nameservers": ["ns1.hosting.example",
                      {"host": "ns2.hosting.example", "addresses": ["192.0.2.1"]}]},
     "glue_not_allowed"),
    ({"nameservers": [{"host": "ns1.glue.test", "addresses": ["not-an-ip"]},
                      "ns2.hosting.example"]}, "glue_address"),
])
def test_bad_registrations_are_refused_naming_the_rule(subscriber, kwargs, code):
    """Bad registrations are refused naming the rule."""
    with pytest.raises(services.DomainError) as info:
        register(subscriber, "glue.test", **kwargs)
    assert info.value.code == code
    assert not Domain.objects.exists() and not RegistryDomain.objects.exists()


def test_glue_addresses_are_kept_for_an_in_zone_host(subscriber):
    """Glue addresses are kept for an in zone host."""
    domain = register(subscriber, "glue.test", nameservers=[
        {"host": "ns1.glue.test", "addresses": ["8.8.8.8", "2001:4860:4860::8888"]},
        "ns2.hosting.example"])
    assert [(n.host, n.addresses) for n in domain.nameservers.all()] == [
        ("ns1.glue.test", ["8.8.8.8", "2001:4860:4860::8888"]), ("ns2.hosting.example", [])]
    assert connector().info("glue.test").nameservers[0].addresses == (
        "8.8.8.8", "2001:4860:4860::8888")


def test_a_new_contact_with_a_bad_field_is_refused_naming_it(subscriber):
    """A new contact with a bad field is refused naming it."""
    with pytest.raises(services.DomainError) as info:
        register(subscriber, "badcontact.test",
                 contacts={r: contact_fields(email="not-an-email") for r in services.ROLES})
    assert info.value.field == "contacts.registrant.email"


def test_renewal_extends_the_expiry_up_to_ten_years(subscriber, frozen):
    """Renewal extends the expiry up to ten years."""
    domain = register(subscriber, "renew.test", years=2)
    domain = services.renew_domain(domain, 3, actor="system:test")
    assert domain.expires_at == START.replace(year=2031)
    assert connector().info("renew.test").expires_at == domain.expires_at
    with pytest.raises(services.DomainError) as info:
        services.renew_domain(domain, 6, actor="system:test")
    assert info.value.code == "years"


def test_the_transfer_lock_cannot_be_lifted_in_the_first_60_days(subscriber, frozen):
    """The transfer lock cannot be lifted in the first 60 days."""
    domain = register(subscriber, "lock.test")
    with pytest.raises(services.DomainError) as info:
        services.set_transfer_lock(domain, False, actor="system:test")
    assert info.value.code == "transfer_lock_period"
    with clock.freeze(START + datetime.timedelta(days=60)):
        domain = services.set_transfer_lock(domain, False, actor="system:test")
        assert "clientTransferProhibited" not in domain.statuses
        assert "clientTransferProhibited" not in connector().info("lock.test").statuses
        domain = services.set_transfer_lock(domain, True, actor="system:test")
    assert domain.statuses == ["clientTransferProhibited"]


def test_the_auth_code_is_shown_once_and_kept_only_as_a_keyed_hash(subscriber):
    """The auth code is shown once and kept only as a keyed hash."""
    domain = register(subscriber, "auth.test")
    code = services.new_auth_code(domain, actor="system:test")
    domain.refresh_from_db()
    assert len(code) == 16 and code not in domain.auth_code_hash
    assert domain.auth_code_hash == crypto.blind_index("domain_auth_code", f"auth.test:{code}")
    assert services.auth_code_matches(domain, code)
    second = services.new_auth_code(domain, actor="system:test")
    domain.refresh_from_db()
    assert not services.auth_code_matches(domain, code)
    assert services.auth_code_matches(domain, second)
    assert RegistryDomain.objects.get(name="auth.test").auth_code_hash == domain.auth_code_hash


def test_nameservers_privacy_and_auto_renew_can_be_changed(subscriber):
    """Nameservers privacy and auto renew can be changed."""
    domain = register(subscriber, "change.test")
    services.set_nameservers(domain, ["a.ns.example", "b.ns.example", "c.ns.example"],
                             actor="system:test")
    assert list(domain.nameservers.values_list("host", flat=True)) == [
        "a.ns.example", "b.ns.example", "c.ns.example"]
    assert [h.host for h in connector().info("change.test").nameservers][2] == "c.ns.example"
    assert services.set_privacy(domain, True, actor="system:test").privacy
    assert not services.set_auto_renew(domain, False, actor="system:test").auto_renew


def test_the_contact_columns_are_encrypted_under_the_contacts_own_key(subscriber):
    """Only ciphertext is stored, under the contact's subject, so it can be shredded alone."""
    from hostpact.core.subjects import shred

    domain = register(subscriber, "cipher.test")
    contact = domain.roles.first().contact
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, email, line1 FROM {Contact._meta.db_table} WHERE id = %s",
                       [contact.pk])
        stored = cursor.fetchone()
    for value in stored:
        assert value.startswith(crypto.PREFIX)
        assert crypto.parse(value)[:2] == (contact.contact_subject_id, "registration")
    shred(contact.contact_subject_id)
    again = Contact.objects.get(pk=contact.pk)
    assert again.name is None and again.email is None
    subscriber.profile.refresh_from_db()
    assert subscriber.profile.name  # the owner's own data is untouched


def test_a_write_after_erasure_began_is_refused(subscriber):
    """A write after erasure began is refused."""
    domain = register(subscriber, "erased.test")
    erasure.open_job(subscriber.subject_id, actor="system:test", reason="staff")
    with pytest.raises(SubjectErased):
        services.set_privacy(domain, True, actor="system:test")
    assert not Domain.objects.get(pk=domain.pk).privacy
