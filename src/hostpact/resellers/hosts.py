"""Which reseller a host name belongs to, and the brand its pages show.

Every request asks, so the answer comes from an in-process map of every reseller host, built in
one query and rebuilt when it is older than ``RESELLER_HOSTS_TTL`` seconds or when this process
changed a reseller (``forget``).
"""

import time
from dataclasses import dataclass

from django.conf import settings

from hostpact.core.branding import Brand

_cache: dict = {"at": 0.0, "map": {}}


@dataclass(frozen=True)
class Site:
    reseller_id: int
    realm_id: int
    selling: bool  # approved (a lapsed agreement is checked where it sells)
    brand: Brand


def _build() -> dict[str, Site]:
    from hostpact.resellers.models import Reseller, ResellerHost

    out = {}
    rows = ResellerHost.objects.select_related("reseller").exclude(
        reseller__state=Reseller.State.PENDING).defer("reseller__logo")
    for row in rows:
        r = row.reseller
        brand = Brand(name=r.brand_name, support_email=r.support_email,
                      primary_colour=r.primary_colour, accent_colour=r.accent_colour,
                      logo_url=f"/reseller-logo/{r.slug}" if r.logo_type else "",
                      realm_id=r.realm_id, reseller_id=r.pk)
        out[row.host] = Site(r.pk, r.realm_id, r.state == Reseller.State.APPROVED, brand)
    return out


def _normal(host: str) -> str:
    host = (host or "").lower()
    return host.rsplit(":", 1)[0] if not host.endswith("]") else host


def lookup(host: str) -> Site | None:
    """Return the reseller site answering on ``host`` (a ``Host`` header), or None."""
    now = time.monotonic()
    if now - _cache["at"] > settings.RESELLER_HOSTS_TTL:
        _cache["map"], _cache["at"] = _build(), now
    return _cache["map"].get(_normal(host))


def forget() -> None:
    """Drop the map, so the next request reads the hosts again (after a change here)."""
    _cache["at"] = 0.0
