"""Domains for the WHOIS tests, registered with the real domain services at a fixed moment.

Plain functions: each test module makes the fixtures it needs from them."""

import datetime

from hostpact.core import clock
from hostpact.domains import services
from hostpact.domains.services.contacts import set_publish
from hostpact.domains.tests.helpers import contact_fields, register
from hostpact.privacy.policy.services import in_force, publish_version

START = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)
GLUE = ["8.8.8.8", "2001:4860:4860::8888"]


def _same_contact(**fields) -> dict:
    data = contact_fields(**fields)
    return {role: data for role in services.ROLES}


def _policy_in_force() -> None:
    """Consent is recorded under the policy in force; a transactional test that ran before may
    have flushed the version the migrations made."""
    if in_force() is None:
        publish_version(title="Privacy policy", text="# Privacy policy\n\nFor the tests.",
                        effective_at=START, actor="system:test")


def make_open(subscriber):
    """``open-book.test``: its single contact consented to publication; an in-zone name
    server with glue."""
    with clock.freeze(START):
        _policy_in_force()
        domain = register(subscriber, "open-book.test", contacts=_same_contact(
            name="Asha Public", organization="Open Book Works", email="asha@open.example",
            phone="+91 98765 43210", line1="12 Hill Road", line2="Floor 2", city="Pune",
            region="Maharashtra", postal_code="411001", country="IN"),
            nameservers=[{"host": "ns1.open-book.test", "addresses": GLUE},
                         "ns2.hosting.example"])
        for role in domain.roles.select_related("contact"):
            set_publish(role.contact, True, actor="system:test")
    return domain


def make_redacted(subscriber):
    """``quiet-shop.test``: contacts never consented to publication."""
    with clock.freeze(START):
        return register(subscriber, "quiet-shop.test", contacts=_same_contact(
            name="Vikram Hidden", organization="Quiet Shop", email="vikram@quiet.example",
            line1="7 Lake Street", city="Nashik", region="Maharashtra", postal_code="422001",
            country="IN"))


def make_private(subscriber):
    """``private-nest.test``: the privacy service is on."""
    with clock.freeze(START):
        return register(subscriber, "private-nest.test", privacy=True, contacts=_same_contact(
            name="Meera Secret", organization="Nest Secrets", email="meera@nest.example",
            line1="3 Palm Lane", city="Goa", region="Goa", postal_code="403001",
            country="IN"))


def make_idn(subscriber):
    """``bücher.test`` (xn--bcher-kva.test), contacts unpublished."""
    with clock.freeze(START):
        return register(subscriber, "bücher.test",
                        contacts=_same_contact(name="Jonas Buch", email="jonas@buch.example"))

