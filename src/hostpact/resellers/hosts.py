"""Which reseller a host name belongs to, and the brand its pages show.

Every request asks, so the answer comes from an in-process map of every reseller host, built in
one query and rebuilt when it is older than ``RESELLER_HOSTS_TTL`` seconds or when this process
changed a reseller (``forget``). The same map answers, for mail written outside a request, the
brand and the base URL of a realm's customers (``brand_of_realm``, ``site_url``).
"""

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from hostpact.core import clock
from hostpact.core.branding import Brand

ResellerHostTable = "resellers_resellerhost"
_cache: dict = {"at": 0.0, "map": {}, "realms": {}}


@dataclass(frozen=True)
class Site:
    reseller_id: int
    realm_id: int
    selling: bool  # approved with a reseller agreement in force
    brand: Brand
    refusal: str = ""  # why it may not sell ("" when it may): ``selling_refusal``'s answer
    host: str = ""  # the reseller's primary host, where links in mail point


def _build() -> tuple[dict[str, Site], dict[int, Site]]:
    from hostpact.privacy.disclosures.models import Agreement
    from hostpact.resellers.models import Reseller, ResellerHost

    today = clock.today()
    in_force = Agreement.objects.filter(
        recipient_id=OuterRef("reseller__recipient_id"), valid_from__lte=today).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    rows = (ResellerHost.objects.select_related("reseller")
            .exclude(reseller__state=Reseller.State.PENDING).defer("reseller__logo")
            .annotate(in_force=Exists(in_force)).order_by("-primary", "host"))
    by_host, by_realm, refusals = {}, {}, {}
    for row in rows:
        r = row.reseller
        if r.pk not in refusals:
            refusals[r.pk] = _refusal(r, row.in_force)
        brand = Brand(name=r.brand_name, support_email=r.support_email,
                      primary_colour=r.primary_colour, accent_colour=r.accent_colour,
                      logo_url=reverse("resellers:logo", args=[r.slug]) if r.logo_type else "",
                      realm_id=r.realm_id, reseller_id=r.pk)
        primary = by_realm[r.realm_id].host if r.realm_id in by_realm else row.host
        site = Site(r.pk, r.realm_id, not refusals[r.pk], brand, refusals[r.pk], primary)
        by_host[row.host] = site
        by_realm.setdefault(r.realm_id, site)
    return by_host, by_realm


def _refusal(reseller, in_force: bool) -> str:
    """Return why ``reseller`` may not sell; the rare refused one asks the service itself, so
    the reason reads as everywhere else."""
    from hostpact.resellers.models import Reseller
    from hostpact.resellers.services.resellers import selling_refusal

    if reseller.state == Reseller.State.APPROVED and in_force:
        return ""
    return selling_refusal(reseller)


def _normal(host: str) -> str:
    host = (host or "").lower()
    return host.rsplit(":", 1)[0] if not host.endswith("]") else host


def _fresh() -> None:
    now = time.monotonic()
    if now - _cache["at"] > settings.RESELLER_HOSTS_TTL:
        try:
            _cache["map"], _cache["realms"] = _build()
        except DatabaseError:
            # A database not migrated yet (a deployment's first checks) has no resellers;
            # any other database error is a real one.
            if ResellerHostTable in connection.introspection.table_names():
                raise
            _cache["map"], _cache["realms"] = {}, {}
        _cache["at"] = now


def lookup(host: str) -> Site | None:
    """Return the reseller site answering on ``host`` (a ``Host`` header), or None."""
    _fresh()
    return _cache["map"].get(_normal(host))


def of_realm(realm_id: int | None) -> Site | None:
    """Return the site of ``realm_id``'s reseller (its primary host), or None."""
    if realm_id is None:
        return None
    _fresh()
    return _cache["realms"].get(realm_id)


def brand_of_realm(realm_id: int | None) -> Brand | None:
    """Return the brand of ``realm_id``'s reseller, or None (ours)."""
    site = of_realm(realm_id)
    return site.brand if site else None


def site_url(realm_id: int | None) -> str:
    """Return the absolute base URL of ``realm_id``'s primary host (ours: ``SITE_URL``),
    with our site's scheme and port."""
    site = of_realm(realm_id)
    if site is None:
        return settings.SITE_URL.rstrip("/")
    ours = urlsplit(settings.SITE_URL)
    port = f":{ours.port}" if ours.port else ""
    return f"{ours.scheme}://{site.host}{port}"


def forget() -> None:
    """Drop the map and the price lists, so the next request reads them again (after a
    change here)."""
    from hostpact.resellers import pricing

    _cache["at"] = 0.0
    pricing.forget()
