"""The name-server rules: 2–13 distinct hosts, glue only (and always) for in-zone hosts."""

import ipaddress

from hostpact.domains.models import MAX_NAMESERVERS, MIN_NAMESERVERS
from hostpact.domains.names import NameRefused, parse_host
from hostpact.domains.registry import Host
from hostpact.domains.services.common import DomainError


def clean_nameservers(domain: str, items, field: str = "nameservers") -> list[Host]:
    """The name servers of ``domain`` (A-label): 2–13 distinct host names; glue addresses
    (IPv4/IPv6) required for a host inside the domain and refused for any other."""
    items = list(items or [])
    if not MIN_NAMESERVERS <= len(items) <= MAX_NAMESERVERS:
        raise DomainError(f"Give {MIN_NAMESERVERS} to {MAX_NAMESERVERS} name servers; "
                          f"{len(items)} given.", field, "nameserver_count")
    hosts, seen = [], set()
    for i, item in enumerate(items):
        where = f"{field}.{i}"
        text, addresses = (item, []) if isinstance(item, str) else (
            item.get("host", ""), list(item.get("addresses") or []))
        try:
            host = parse_host(text).ascii
        except NameRefused as exc:
            raise DomainError(f"Name server {text!r}: {exc}", where, exc.rule) from None
        if host in seen:
            raise DomainError(f"The name server {host} is given twice.", where,
                              "nameserver_repeated")
        seen.add(host)
        in_zone = host == domain or host.endswith("." + domain)
        if in_zone and not addresses:
            raise DomainError(f"{host} is inside {domain}: give its IP addresses (glue).",
                              where, "glue_required")
        if addresses and not in_zone:
            raise DomainError(f"{host} is outside {domain}: glue addresses are only for "
                              "hosts inside the domain.", where, "glue_not_allowed")
        clean = []
        for address in addresses:
            try:
                ip = ipaddress.ip_address(str(address).strip())
            except ValueError:
                raise DomainError(f"{address!r} is not an IPv4 or IPv6 address.", where,
                                  "glue_address") from None
            if not ip.is_global:
                raise DomainError(f"{ip} is not a public address.", where, "glue_address")
            clean.append(str(ip))
        hosts.append(Host(host, tuple(dict.fromkeys(clean))))
    return hosts
