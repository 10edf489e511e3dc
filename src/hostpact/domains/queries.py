"""Reads of the domains app that several modules share."""

import idna
from django.db.models import F

from hostpact.domains.models import Domain
from hostpact.domains.names import NameRefused, parse_host


def shown(ascii_name: str) -> str:
    """The U-label form of a stored (A-label) name."""
    if "xn--" not in ascii_name:
        return ascii_name
    try:
        return idna.decode(ascii_name)
    except (idna.IDNAError, UnicodeError):
        return ascii_name


def domain_of(user, name: str) -> Domain | None:
    """``user``'s domain called ``name`` (A-label or U-label), or None: another subscriber's
    domain is None too."""
    try:
        ascii_name = parse_host(name).ascii
    except NameRefused:
        return None
    # The sponsored registration first; else the latest that ended (a name registered again).
    return (Domain.objects.filter(name=ascii_name, user=user)
            .order_by(F("ended_at").desc(nulls_first=True), "-pk")
            .prefetch_related("nameservers").first())
