"""Bulk demo domains: deterministic for a seed, complete, and readable like registered ones."""

import datetime
import json

import pytest
from django.urls import reverse

from hostpact.core import audit, clock
from hostpact.domains import seeding
from hostpact.domains.models import (
    Contact,
    Domain,
    DomainContact,
    Nameserver,
    RegistryContact,
    RegistryDomain,
)
from hostpact.domains.names import parse_domain
from hostpact.domains.queries import shown
from hostpact.domains.registry import connector
from hostpact.domains.services.privacy_service import service_contact
from hostpact.privacy.disclosures.models import Disclosure, DisclosureSubject
from hostpact.testing.factories import make_subscriber

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 5, 1, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def owners():
    users = [make_subscriber() for _ in range(3)]
    return users, [(u.pk, u.subject_id) for u in users]


def snapshot(users):
    index = {u.pk: i for i, u in enumerate(users)}
    rows = []
    for d in Domain.objects.order_by("name").prefetch_related("roles__contact", "nameservers"):
        contact = d.roles.get(role="registrant").contact
        rows.append((d.name, index[d.user_id], d.privacy, d.auto_renew, d.created_at,
                     d.expires_at, contact.name, contact.email, contact.line1,
                     [n.host for n in d.nameservers.all()]))
    return rows


def wipe():
    Domain.objects.all().delete()
    Contact.objects.all().delete()
    RegistryDomain.objects.all().delete()
    RegistryContact.objects.all().delete()


def seed(m, owners, seed=5, batch=seeding.BATCH):
    with clock.freeze(NOW):
        return seeding.seed_domains(m, owners, seed, batch)


def test_a_seed_gives_the_same_domains_and_another_seed_others(owners):
    """Two loads with one seed and the same owners give the same names, owners, settings and
    people, whatever the batch size; another seed gives other ones."""
    users, pairs = owners
    assert seed(25, pairs, batch=7) == 25
    first = snapshot(users)
    wipe()
    seed(25, pairs)
    assert snapshot(users) == first
    assert list(seeding.plan(25, 3, 6)) != list(seeding.plan(25, 3, 5))


@pytest.mark.commitment("C03")
def test_every_domain_has_its_contacts_name_servers_and_registry_rows(owners):
    """M domains, one contact each in the four roles, two name servers each, and the registry's
    own rows with the same ROIDs and handles: the customer's (encrypted) contact data, or the
    privacy service's contact for a domain with privacy on."""
    _, pairs = owners
    seed(30, pairs, batch=8)
    service = service_contact().handle
    private = Domain.objects.filter(privacy=True).count()
    assert Domain.objects.count() == 30 == Contact.objects.count()
    assert DomainContact.objects.count() == 120 and Nameserver.objects.count() == 60
    assert RegistryDomain.objects.count() == 30
    assert RegistryContact.objects.count() == 30 - private + 1
    for domain in Domain.objects.prefetch_related("roles__contact"):
        contact = domain.roles.get(role="registrant").contact
        assert {r.contact_id for r in domain.roles.all()} == {contact.pk}
        assert contact.handle == f"C{contact.pk}-HP" and contact.user_id == domain.user_id
        assert contact.email_verified_at and not contact.publish
        info = connector().info(domain.name)
        assert info.roid == domain.roid and info.expires_at == domain.expires_at
        sent = service if domain.privacy else contact.handle
        assert info.contacts == dict.fromkeys(("registrant", "admin", "tech", "billing"), sent)
        copy = RegistryContact.objects.get(handle=sent)
        assert copy.roid == f"{copy.pk}_CONTACT-HP"
        if not domain.privacy:
            assert copy.subject_id == contact.contact_subject_id
            assert json.loads(copy.data)["email"] == contact.email
        assert domain.expires_at > NOW and domain.transfer_locked


def test_some_seeded_domains_are_idns_and_some_have_privacy(owners):
    """IDNs are stored as A-labels whose U-labels parse back to them; privacy is on for some
    and off for others."""
    _, pairs = owners
    seed(80, pairs)
    names = list(Domain.objects.values_list("name", flat=True))
    idns = [n for n in names if n.startswith("xn--")]
    assert idns and len(idns) < len(names)
    for name in idns:
        assert not shown(name).isascii() and parse_domain(shown(name)).ascii == name
    assert {shown(n).split("-")[0] for n in idns} <= set(seeding.IDN_WORDS)
    privacy = set(Domain.objects.values_list("privacy", flat=True))
    assert privacy == {True, False}


def test_seeded_domains_read_through_the_api_and_pages(client, owners):
    """The owner reads a seeded domain through the API and the panel like a registered one."""
    users, pairs = owners
    seed(12, pairs)
    domain = Domain.objects.filter(name__startswith="xn--").first() or Domain.objects.first()
    owner = next(u for u in users if u.pk == domain.user_id)
    client.force_login(owner)
    body = client.get(f"/api/v1/domains/{domain.name}").json()
    contact = domain.roles.get(role="registrant").contact
    assert body["roid"] == domain.roid and body["unicode"] == shown(domain.name)
    assert contact.handle in json.dumps(body)
    page = client.get(reverse("domains:detail", args=[domain.name]))
    assert page.status_code == 200 and contact.name in page.content.decode()
    listing = client.get(reverse("domains:list")).content.decode()
    assert shown(domain.name) in listing


@pytest.mark.commitment("C22")
def test_each_batch_is_one_registry_disclosure_of_its_owners_and_contacts(owners):
    """"Who received my data" is true of seeded data: one registry disclosure per batch links
    every owner of the batch and every contact sent (a private domain's contact is not); the
    ledger stays valid."""
    _, pairs = owners
    seed(20, pairs, batch=8)
    to_registry = Disclosure.objects.filter(recipient__slug="registry")
    assert to_registry.count() == 3
    linked = set(DisclosureSubject.objects.filter(disclosure__in=to_registry)
                 .values_list("subject_id", flat=True))
    sent = set(Contact.objects.filter(roles__domain__privacy=False)
               .values_list("contact_subject_id", flat=True))
    kept = set(Contact.objects.filter(roles__domain__privacy=True)
               .values_list("contact_subject_id", flat=True))
    owners_with = set(Domain.objects.values_list("subject_id", flat=True))
    assert sent and kept and sent | owners_with <= linked and not kept & linked
    assert "user.contact.email" in to_registry.first().categories
    assert audit.verify().ok


def test_seeding_needs_owners_and_a_fresh_seed(owners):
    """Domains without owners, or a seed already loaded, are refused before anything is
    written."""
    _, pairs = owners
    with pytest.raises(seeding.SeedError, match="subscribers"):
        seed(3, [])
    seed(3, pairs, seed=9)
    with pytest.raises(seeding.SeedError, match="seed 9"):
        seed(3, pairs, seed=9)
    assert Domain.objects.count() == 3
