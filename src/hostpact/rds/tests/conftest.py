"""Fixtures of the registration data directories' tests: domains made by the real domain
services (so the records are made the way production makes them), and an RDAP client that
validates every response against ICANN's schemas."""

import datetime

import pytest

from hostpact.core import clock
from hostpact.domains import services
from hostpact.domains.models import DomainContact
from hostpact.domains.services.contacts import set_publish
from hostpact.domains.tests.helpers import contact_fields, register
from hostpact.rds import limits, querylog, store
from hostpact.rds.rdap import lean
from hostpact.testing import rdap_schema, wsgi

START = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)
ACTOR = "subscriber:test"


@pytest.fixture(autouse=True)
def quiet_directories(settings):
    """No flusher thread (rows appear when a test flushes), empty buckets, buffer and body
    cache (a rolled-back test database gives ids again), and no limit unless a test sets
    one."""
    querylog.autostart = False
    querylog.discard()
    limits.reset()
    store.forget()
    settings.RDS_ALLOW = []
    yield
    querylog.discard()
    limits.reset()
    store.forget()


def kind_of(path: str, status: int) -> str:
    """The schema a response to ``path`` with ``status`` must follow."""
    if status >= 400:
        return "error"
    segment = path.split("?")[0].split("/")[2]
    return {"domains": "domains"}.get(segment, segment)


def rdap_call(path: str, **kwargs) -> wsgi.Response:
    """Call the lean RDAP app; a response with a body is validated against the schemas."""
    response = wsgi.call(lean.application, path, **kwargs)
    if response.body:
        assert response.headers["content-type"] == "application/rdap+json"
        rdap_schema.validate(response.json(), kind_of(path, response.status))
    return response


@pytest.fixture
def rdap():
    """``rdap(path, method=..., remote_addr=...)``: a validated RDAP response."""
    return rdap_call


def roles_of(domain) -> dict:
    return {r.role: r.contact for r in DomainContact.objects.filter(domain=domain)
            .select_related("contact")}


def publish(domain, role="registrant"):
    """Publish (consent) the contact of ``role`` of ``domain``; return it."""
    contact = roles_of(domain)[role]
    return set_publish(contact, True, actor=ACTOR)


@pytest.fixture
def redacted_domain(subscriber):
    """A domain whose contacts did not consent to publication."""
    with clock.freeze(START):
        return register(subscriber, "redacted.test")


@pytest.fixture
def published_domain(subscriber):
    """A domain whose contacts (the same fields in every role) consented to publication."""
    fields = contact_fields(name="Asha Published", email="asha@published.example")
    with clock.freeze(START):
        domain = register(subscriber, "published.test",
                          contacts={role: fields for role in services.ROLES})
        for contact in {c.pk: c for c in roles_of(domain).values()}.values():
            set_publish(contact, True, actor=ACTOR)
    domain.refresh_from_db()
    return domain


@pytest.fixture
def private_domain(subscriber):
    """A domain with the privacy service on."""
    with clock.freeze(START):
        return register(subscriber, "private.test", privacy=True, contacts={
            role: contact_fields(name="Kavya Hidden", email="kavya@hidden.example")
            for role in services.ROLES})


@pytest.fixture
def idn_domain(subscriber):
    """An IDN domain (U-label bücher-rdap.test) with an IDN name server with glue."""
    with clock.freeze(START):
        return register(subscriber, "bücher-rdap.test", nameservers=[
            {"host": "ns1.bücher-rdap.test", "addresses": ["8.8.8.8", "2001:4860:4860::8888"]},
            "ns2.hosting.example"])
