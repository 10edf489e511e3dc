"""The domains app plugs into the privacy spine by its declarations alone: its domains and
contacts are in the subscriber's export and on "My information", and ``hostpact datamap``
lists them, with no line of core or privacy naming the app."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from hostpact.domains.tests.helpers import contact_fields, register
from hostpact.privacy import registry
from hostpact.privacy.rights.export.queries import build_export
from hostpact.privacy.subject_data import items_for

pytestmark = pytest.mark.django_db

CONTACT_NAME = "Meera Registrant"


@pytest.fixture
def domain(subscriber):
    fields = contact_fields(name=CONTACT_NAME)
    return register(subscriber, "mine.test", contacts={"registrant": fields, "admin": fields,
                                                       "tech": fields, "billing": fields})


def test_the_export_lists_the_domains_and_the_contacts(subscriber, domain):
    """The export lists the domains and the contacts."""
    sections = build_export(subscriber.subject_id)["sections"]["domains"]
    domain_items = {i["field"]: i for i in sections["Domain"][0]["items"]}
    assert domain_items["name"]["value"] == "mine.test"
    assert domain_items["name"]["retention"] == "registration"
    contact_items = {i["field"]: i for i in sections["Contact"][0]["items"]}
    assert contact_items["name"]["value"] == CONTACT_NAME
    assert contact_items["email"]["category"] == "user.contact.email"
    assert "handle" not in contact_items  # declared not personal
    assert "RegistryContact" not in sections  # the registry's copy is the contact's, not ours


def test_another_subscriber_does_not_get_them(other_subscriber, domain):
    """Another subscriber does not get them."""
    items = items_for(other_subscriber.subject_id)
    assert not [i for i in items if i.app == "domains"]


def test_my_information_shows_domains_and_domain_contacts(client, subscriber, domain):
    """"My information" shows domains and domain contacts."""
    client.force_login(subscriber)
    page = client.get("/panel/information/").content.decode()
    assert "Domains" in page and "Domain contacts" in page
    assert CONTACT_NAME in page and "mine.test" in page
    assert 'data-field="domains.Contact.email"' in page


def test_every_field_is_declared_and_listed_by_hostpact_datamap(capsys):
    """Every field is declared and listed by ``hostpact datamap``."""
    assert not [f for f in registry.undeclared() if f.startswith("domains.")]
    call_command("datamap", "--format", "json")
    rows = [r for r in json.loads(capsys.readouterr().out) if r["app"] == "domains"]
    contact = {r["field"]: r for r in rows if r["model"] == "Contact"}
    assert contact["email"]["subject"] == "domain_contact"
    assert contact["email"]["retention"] == "registration"
    assert {r["model"] for r in rows} >= {"Domain", "Contact", "Nameserver", "DomainContact"}


def test_the_back_office_roles_and_inline_are_registered():
    """The back office roles and inline are registered."""
    from hostpact.domains.models import Domain

    assert registry.back_office_roles(Domain) == {"support", "compliance", "abuse"}
    assert any(i.model is Domain for i in registry.subscriber_inlines())


def test_no_file_of_core_or_privacy_names_the_domains_app():
    """No file of core or privacy names the domains app."""
    root = Path(__file__).resolve().parents[2]
    spine = [p for d in ("core", "privacy") for p in (root / d).rglob("*.py")
             if "tests" not in p.parts]
    assert not [p for p in spine if re.search(r"hostpact\.domains|from hostpact import domains",
                                              p.read_text())]


def test_the_subscribers_back_office_page_shows_the_domain(client, subscriber, domain):
    """The subscriber's back office page shows the domain."""
    from hostpact.testing.factories import make_staff

    client.force_login(make_staff(groups=["support"]))
    resp = client.get(f"/admin/accounts/user/{subscriber.pk}/change/")
    assert resp.status_code == 200
    assert "mine.test" in resp.content.decode()
