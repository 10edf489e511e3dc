"""What a reseller's customers and visitors pay: its own price, else the catalogue's plus its
markup.

Billing and the storefront ask ``billing.catalogue.realm_amount`` for every amount they show or
charge; for a reseller's realm it lands here (registered in ``ResellersConfig.ready``). A
reseller's own price names a catalogue price (a plan and cycle) or a TLD's registration; any
other amount is the catalogue's plus ``markup_percent``, rounded to the paisa half up. The
price list of a realm is read in one query and kept ``RESELLER_HOSTS_TTL`` seconds (or until
this process changes it: ``hosts.forget``), so a reseller's page costs no more queries than
ours. The reseller sets its prices and markup in its panel (``services.brand``).
"""

import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

PAISA = Decimal("0.01")

_cache: dict = {"at": 0.0, "tables": {}}


@dataclass(frozen=True)
class PriceList:
    markup_percent: Decimal = Decimal("0")
    prices: dict[int, Decimal] = field(default_factory=dict)  # catalogue price id: amount
    tlds: dict[str, Decimal] = field(default_factory=dict)  # TLD: registration a year


def _load(realm_id: int) -> PriceList:
    from hostpact.resellers.models import Reseller

    rows = list(Reseller.objects.filter(realm_id=realm_id).values_list(
        "markup_percent", "prices__price_id", "prices__tld", "prices__amount"))
    if not rows:
        return PriceList()
    prices = {pid: amount for _, pid, _, amount in rows if pid is not None}
    tlds = {tld: amount for _, _, tld, amount in rows if tld}
    return PriceList(rows[0][0], prices, tlds)


def price_list(realm_id: int) -> PriceList:
    """Return ``realm_id``'s reseller's markup and own prices (cached a few seconds)."""
    now = time.monotonic()
    if now - _cache["at"] > settings.RESELLER_HOSTS_TTL:
        _cache["tables"], _cache["at"] = {}, now
    table = _cache["tables"].get(realm_id)
    if table is None:
        table = _cache["tables"][realm_id] = _load(realm_id)
    return table


def forget() -> None:
    """Drop the cached price lists (a price or a markup changed)."""
    _cache["at"] = 0.0


def with_markup(base: Decimal, percent: Decimal) -> Decimal:
    """Return ``base`` plus ``percent`` per cent, rounded to the paisa half up."""
    return (Decimal(base) * (1 + Decimal(percent) / 100)).quantize(PAISA, ROUND_HALF_UP)


def realm_amount(realm_id: int, base: Decimal, *, price=None, tld: str = "",
                 kind: str = "") -> Decimal:
    """Return what ``realm_id``'s customers pay for what costs ``base`` in our catalogue:
    the reseller's own price for ``price`` (or for registering under ``tld``), else ``base``
    with its markup."""
    table = price_list(realm_id)
    price_id = getattr(price, "pk", price)
    if price_id is not None and price_id in table.prices:
        return table.prices[price_id]
    if tld and kind == "register" and tld in table.tlds:
        return table.tlds[tld]
    return with_markup(base, table.markup_percent)
