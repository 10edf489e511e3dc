"""A reseller's own settings from its panel: brand, logo, contacts, policy additions, prices."""

from decimal import Decimal

from django.db import transaction

from hostpact.core import audit
from hostpact.resellers import hosts
from hostpact.resellers.models import Reseller, ResellerPrice

SETTINGS = ("brand_name", "primary_colour", "accent_colour", "support_email",
            "controller_name", "controller_email", "controller_address", "policy_additions",
            "markup_percent")  # what the panel's settings form may change


@transaction.atomic
def save_settings(reseller: Reseller, data: dict, *, actor: str, logo=None) -> Reseller:
    """Save the fields of ``SETTINGS`` found in ``data`` (cleaned), and ``logo`` as
    ``(bytes, content type)`` when given."""
    fields = [f for f in SETTINGS if f in data]
    for name in fields:
        setattr(reseller, name, data[name])
    if logo is not None:
        reseller.logo, reseller.logo_type = logo
        fields += ["logo", "logo_type"]
    reseller.save(update_fields=fields)
    audit.record(actor, "resellers.settings", None, [], f"reseller:{reseller.pk}")
    transaction.on_commit(hosts.forget)
    return reseller


@transaction.atomic
def set_price(reseller: Reseller, price, amount: Decimal, *, actor: str) -> ResellerPrice:
    """Set ``reseller``'s own price for a catalogue ``price`` (over its markup)."""
    row, _ = ResellerPrice.objects.update_or_create(reseller=reseller, price=price,
                                                    defaults={"amount": amount})
    audit.record(actor, "resellers.price", None, [], f"reseller:{reseller.pk}")
    transaction.on_commit(hosts.forget)
    return row
