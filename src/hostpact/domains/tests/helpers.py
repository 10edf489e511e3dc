"""Test data of the domains app, built with its services."""

import itertools

from hostpact.domains import services

_seq = itertools.count(1)


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
