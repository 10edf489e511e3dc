"""Test data of the domains app, built with its services."""

import datetime
import itertools

from hostpact.core import clock
from hostpact.core.models import Subject
from hostpact.core.subjects import create_subject
from hostpact.domains import services
from hostpact.domains.registry import ContactData, Host
from hostpact.domains.registry.builtin import BuiltinRegistry

_seq = itertools.count(1)
OTHER = "other-registrar"
CODE = "Elsewhere-Code-42"
HELD_SINCE = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)


def contact_fields(**overrides) -> dict:
    n = next(_seq)
    data = {"name": f"Ravi Contact{n}", "organization": "Example Works", "email":
            f"contact{n}@example.test", "phone": "+91 98765 43210", "line1": f"{n} Hill Road",
            "line2": "", "city": "Pune", "region": "Maharashtra", "postal_code": "411001",
            "country": "IN"}
    data.update(overrides)
    return data


def register(user, name=None, *, contacts=None, **kwargs):
    """Register a domain for ``user`` with one new contact in every role."""
    name = name or f"domain{next(_seq)}.test"
    fields = contact_fields()
    contacts = contacts or {role: fields for role in services.ROLES}
    kwargs.setdefault("years", 1)
    kwargs.setdefault("nameservers", ["ns1.hosting.example", "ns2.hosting.example"])
    return services.register_domain(user, name, contacts=contacts, actor="system:test",
                                    **kwargs)


def held_elsewhere(name: str, code: str = CODE):
    """Register ``name`` at the registry for another registrar, with ``code`` as its auth
    code; answer the registry's info."""
    contact = ContactData("OTHER-1", create_subject(Subject.Kind.CONTACT).pk,
                          {"name": "Someone Elsewhere", "email": "someone@elsewhere.test"})
    with clock.freeze(HELD_SINCE):
        return BuiltinRegistry(OTHER).create(
            name, years=1, nameservers=[Host("ns1.elsewhere.example"),
                                        Host("ns2.elsewhere.example")],
            contacts={role: contact for role in services.ROLES},
            auth_code_hash=services.auth_code_hash(name, code))
