"""Test data for resellers, built with the app's own services."""

import itertools

from hostpact.core import realms
from hostpact.resellers.models import Membership
from hostpact.resellers.services.members import add_member
from hostpact.resellers.services.resellers import create_reseller
from hostpact.testing.factories import make_staff, make_subscriber

_seq = itertools.count(1)


def make_reseller(name=None, host=None, country="IN", **extra):
    """Create and approve a reseller with its own host name."""
    n = next(_seq)
    return create_reseller(name=name or f"Reseller {n}", host=host or f"shop{n}.example",
                           country=country, actor="system", approve=True, **extra)


def make_customer(reseller, **overrides):
    """Sign up a customer of ``reseller`` (in its realm) through the real sign-up."""
    with realms.using(reseller.realm_id):
        return make_subscriber(**overrides)


def make_member(reseller, role=Membership.Role.OWNER, **overrides):
    """Make one of our accounts a user of ``reseller``'s panel."""
    user = make_subscriber(**overrides)
    add_member(reseller, user, role, actor="system")
    return user


__all__ = ["make_customer", "make_member", "make_reseller", "make_staff"]
