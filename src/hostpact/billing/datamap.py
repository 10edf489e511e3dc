"""Data-map declarations of billing's models."""

from hostpact.billing.models import PaymentMethod
from hostpact.privacy.registry import declare, not_personal, personal

_card = dict(purposes=("essential.service.payment_processing",))
declare(
    PaymentMethod,
    id=not_personal(), user=not_personal(), subject=not_personal(), gateway=not_personal(),
    token=personal("user.financial.credit_card.token", label="Card token", **_card),
    brand=personal("user.financial.credit_card.summary", label="Card brand", **_card),
    last4=personal("user.financial.credit_card.summary", label="Card last 4 digits", **_card),
    exp_month=personal("user.financial.credit_card.summary", label="Card expiry month", **_card),
    exp_year=personal("user.financial.credit_card.summary", label="Card expiry year", **_card),
    is_default=not_personal(), created_at=not_personal(),
)
