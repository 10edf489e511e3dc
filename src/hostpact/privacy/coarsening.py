"""Coarsening: a personal field made less precise on schedule, before its row is deleted.

Policy 3.2 keeps the IP addresses of the request log to diagnose the servers, and truncates them
once the fresh detail is no longer needed (C18). The data map says so beside the field
(``personal(..., coarsen=ip_prefix(days=7))``); the retention run applies it to the rows older
than the coarsening's age that are not yet coarse, in bulk and idempotently, and ``hostpact
datamap`` and the policy annex print it with the field's retention.
"""

import ipaddress
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet

IPV4_PREFIX = 24
IPV6_PREFIX = 48


@dataclass(frozen=True)
class IpPrefix:
    """Truncate an IP address to its network: IPv4 to /24, IPv6 to /48."""

    days: int
    ipv4: int = IPV4_PREFIX
    ipv6: int = IPV6_PREFIX

    @property
    def after(self) -> timedelta:
        return timedelta(days=self.days)

    @property
    def description(self) -> str:
        return (f"truncated to /{self.ipv4} (IPv4) and /{self.ipv6} (IPv6) "
                f"after {self.days} day{'s' if self.days != 1 else ''}")

    def apply(self, value: str) -> str:
        """Return ``value``'s network address; "" for a value that is no address (nothing
        precise is kept of what cannot be truncated)."""
        text = (value or "").strip()
        if "%" in text:  # an IPv6 zone id ("fe80::1%eth0") names a local interface
            text = text.split("%", 1)[0]
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            return ""
        bits = self.ipv4 if address.version == 4 else self.ipv6
        return str(ipaddress.ip_network(f"{address}/{bits}", strict=False).network_address)

    def candidates(self, queryset: QuerySet, field: str) -> QuerySet:
        """Narrow ``queryset`` to rows whose ``field`` may still be precise: a truncated IPv4
        address ends in ".0" and a truncated IPv6 address in "::", so a second run finds only
        the odd address whose host part happened to be zero, and leaves it as it is."""
        coarse_v4 = Q(**{f"{field}__endswith": ".0"}) & ~Q(**{f"{field}__contains": ":"})
        coarse_v6 = Q(**{f"{field}__endswith": "::"})
        return queryset.exclude(**{field: ""}).exclude(coarse_v4 | coarse_v6)


def ip_prefix(days: int = 7) -> IpPrefix:
    """Truncate an address field to /24 (IPv4) or /48 (IPv6) once the row is ``days`` old."""
    if days < 0:
        raise ValueError("a coarsening's age cannot be negative")
    return IpPrefix(days)
