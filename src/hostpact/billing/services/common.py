"""What every billing action shares: its refusal, GST and amounts, and whom invoices bill.

Kept apart from the actions so ordering, paying and refunding can each live in their own module
without importing one another.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pycountry
from django.conf import settings

from hostpact.billing.catalogue import realm_amount
from hostpact.billing.models import BillingAddress, PaymentMethod, Price
from hostpact.core.models import POSTAL_ADDRESS_FIELDS
from hostpact.core.prepared import Prepared

PAISE = Decimal("0.01")
DUE_DAYS = 7
MAX_QUANTITY = 100
PAYMENT_PURPOSE = "essential.service.payment_processing"
CARD_CATEGORIES = ["user.financial.credit_card"]  # the number, at tokenisation
TOKEN_CATEGORIES = ["user.financial.credit_card.token"]  # a charge carries the token only
ADDRESS_FIELDS = ["name", "company", *POSTAL_ADDRESS_FIELDS, "email"]
INVOICE_FIELDS = ["number", "subtotal", "tax", "total", "billed_name", "billed_company",
                  "billed_address"]

DEFAULT_CARD = Prepared(lambda p: PaymentMethod.objects.filter(
    user_id=p("user", PaymentMethod._meta.get_field("user")), is_default=True,
).order_by("-created_at", "-pk")[:1])


def default_card(user) -> PaymentMethod | None:
    """The card payments use. Most panel pages show it, so its query is compiled once."""
    return DEFAULT_CARD.first(user=user.pk, using=PaymentMethod.objects.db)


class BillingError(Exception):
    """A billing action was refused; ``field`` names what is wrong, ``code`` says why."""

    def __init__(self, message: str, field: str = "", code: str = "invalid"):
        super().__init__(message)
        self.field, self.code = field, code


def gst_rate() -> Decimal:
    return Decimal(str(settings.GST_RATE))


def quote_amount(amount: Decimal, quantity: int = 1) -> dict[str, Decimal]:
    """Return subtotal, GST and total of ``quantity`` × ``amount``, rounded to the paisa."""
    subtotal = (amount * quantity).quantize(PAISE)
    tax = (subtotal * gst_rate()).quantize(PAISE, rounding=ROUND_HALF_UP)
    return {"subtotal": subtotal, "tax": tax, "total": subtotal + tax, "rate": gst_rate()}


def price_amount(price: Price, realm_id: int | None = None) -> Decimal:
    """Return the unit amount (before GST) of ``price`` for ``realm_id``'s customers: the
    catalogue's for ours, the reseller's for its realm."""
    return realm_amount(realm_id, price.amount, price=price, kind="plan")


def quote(price: Price, quantity: int = 1, realm_id: int | None = None) -> dict[str, Decimal]:
    """Subtotal, GST and total of ``quantity`` × ``price`` for ``realm_id``'s customers,
    rounded to the paisa."""
    return quote_amount(price_amount(price, realm_id), quantity)


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=(code or "").upper())
    return country.name if country else (code or "")


def _address_text(line1, line2, city, region, postal_code, country) -> str:
    place = " ".join(p for p in [city, region] if p)
    place = f"{place} {postal_code}".strip() if postal_code else place
    return "\n".join(p for p in [line1, line2, place, country_name(country)] if p)


@dataclass(frozen=True)
class BilledParty:
    name: str
    company: str
    address: str
    email: str
    source: str  # "billing address" or "postal address"


def billed_party(user) -> BilledParty:
    """Whom an invoice is made out to: the billing address if set, else the postal one."""
    # Queried, not read from the user's relation cache, so a change just made is seen.
    ba = BillingAddress.objects.filter(user=user).first()
    if ba is not None:
        return BilledParty(ba.name or "", ba.company or "",
                           _address_text(ba.line1, ba.line2, ba.city, ba.region,
                                         ba.postal_code, ba.country),
                           ba.email or user.email or "", "billing address")
    profile = getattr(user, "profile", None)
    if profile is None:
        raise BillingError("Only subscribers with a profile can order.", "user", "no_profile")
    return BilledParty(profile.name or "", "",
                       _address_text(profile.line1, profile.line2, profile.city,
                                     profile.region, profile.postal_code, profile.country),
                       user.email or "", "postal address")
