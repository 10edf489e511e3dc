"""The default catalogue, so a fresh installation (and the demo) has something to order.

``ensure_default_catalogue()`` is idempotent: it adds what is missing and never overwrites a
product, price or TLD price staff have since edited. Data migrations call it with the historical
models. ``tld_prices()`` is how the rest of the platform reads what domains cost.

A reseller's customers pay the reseller's prices: every amount shown or charged for a realm
goes through ``realm_amount``, which asks the pricing the resellers app registers
(``register_realm_pricing``); billing names no reseller.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hostpact.billing.models import TldPrice

SHARED, VPS, DEDICATED, SSL, EMAIL = "shared_hosting", "vps", "dedicated", "ssl", "email"

# code, name, kind, description, unit, {cycle: price in rupees before GST}
DEFAULT_PRODUCTS = [
    ("shared-starter", "Starter", SHARED,
     "1 website, 10 GB SSD storage, free SSL, daily backups.", "",
     {"monthly": "149.00", "annual": "1499.00"}),
    ("shared-business", "Business", SHARED,
     "10 websites, 50 GB SSD storage, free SSL, daily backups, staging.", "",
     {"monthly": "299.00", "annual": "2999.00"}),
    ("shared-pro", "Pro", SHARED,
     "Unlimited websites, 100 GB NVMe storage, free SSL, hourly backups, priority support.", "",
     {"monthly": "549.00", "annual": "5499.00"}),
    ("vps-2gb", "VPS 2 GB", VPS, "2 vCPU, 2 GB RAM, 40 GB NVMe, 2 TB transfer, root access.",
     "", {"monthly": "799.00", "quarterly": "2299.00", "annual": "7999.00"}),
    ("vps-4gb", "VPS 4 GB", VPS, "2 vCPU, 4 GB RAM, 80 GB NVMe, 4 TB transfer, root access.",
     "", {"monthly": "1499.00", "quarterly": "4299.00", "annual": "14999.00"}),
    ("vps-8gb", "VPS 8 GB", VPS, "4 vCPU, 8 GB RAM, 160 GB NVMe, 6 TB transfer, root access.",
     "", {"monthly": "2799.00", "quarterly": "7999.00", "annual": "27999.00"}),
    ("dedicated-e2388", "Dedicated server E-2388G", DEDICATED,
     "Intel Xeon E-2388G (8 cores), 32 GB ECC RAM, 2 × 1 TB NVMe (RAID 1), 10 TB transfer.",
     "", {"monthly": "8999.00", "quarterly": "25999.00", "annual": "95999.00"}),
    ("ssl-dv", "DV SSL certificate", SSL,
     "Domain-validated certificate for one name and its www, issued in minutes.", "",
     {"annual": "999.00"}),
    ("ssl-ov", "OV SSL certificate", SSL,
     "Organisation-validated certificate showing your company name, issued in 1-3 days.", "",
     {"annual": "4999.00"}),
    ("email-business", "Business email", EMAIL,
     "A 25 GB mailbox on your domain with webmail, IMAP and spam filtering; priced per "
     "mailbox.", "mailbox", {"monthly": "59.00", "annual": "599.00"}),
]

# tld: (register, renew, transfer) per year in rupees before GST
DEFAULT_TLDS = {
    "test": ("799.00", "899.00", "799.00"),
    "example": ("999.00", "1099.00", "999.00"),
}


def ensure_default_catalogue(product_model=None, price_model=None, tld_model=None) -> int:
    """Create the default products, prices and TLD prices that are missing; return how many
    rows it added.

    The models may be passed in (a migration passes its historical ones); a migration from
    before TLD prices existed passes no ``tld_model``, and no TLD price is made.
    """
    if product_model is None or price_model is None:
        from hostpact.billing.models import Price, Product, TldPrice

        product_model, price_model, tld_model = Product, Price, TldPrice
    created = 0
    for order, (code, name, kind, description, unit, prices) in enumerate(DEFAULT_PRODUCTS):
        product, made = product_model.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "description": description,
                                 "unit": unit, "active": True, "sort_order": order * 10})
        created += made
        for cycle, amount in prices.items():
            _, made = price_model.objects.get_or_create(
                product=product, cycle=cycle,
                defaults={"amount": Decimal(amount), "currency": "INR", "active": True})
            created += made
    if tld_model is not None:
        for tld, (register, renew, transfer) in DEFAULT_TLDS.items():
            _, made = tld_model.objects.get_or_create(tld=tld, defaults={
                "register": Decimal(register), "renew": Decimal(renew),
                "transfer": Decimal(transfer), "currency": "INR", "active": True})
            created += made
    return created


def tld_prices() -> dict[str, "TldPrice"]:
    """Return the active TLD prices keyed by TLD (A-label, no dot)."""
    from hostpact.billing.models import TldPrice

    return {row.tld: row for row in TldPrice.objects.filter(active=True)}


_realm_pricing: Callable[..., Decimal] | None = None


def register_realm_pricing(fn: Callable[..., Decimal]) -> None:
    """Set the function ``realm_amount`` asks for a reseller realm's amounts (called as
    ``fn(realm_id, base, price=, tld=, kind=)``)."""
    global _realm_pricing
    _realm_pricing = fn


def realm_amount(realm_id: int | None, base: Decimal, *, price=None, tld: str = "",
                 kind: str = "") -> Decimal:
    """Return what ``realm_id``'s customers pay (before GST) for what our catalogue sells at
    ``base``: ``price`` is the catalogue price of a plan, ``tld`` and ``kind`` ("register",
    "renew", "transfer") name a domain's; our own realm (None) pays ``base``."""
    if realm_id is None or _realm_pricing is None:
        return base
    return _realm_pricing(realm_id, base, price=price, tld=tld, kind=kind)
