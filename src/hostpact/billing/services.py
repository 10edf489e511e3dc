"""Billing actions. Each runs in a transaction and writes its audit event."""

from django.db import transaction

from hostpact.billing.gateway import CardToken
from hostpact.billing.models import PaymentMethod
from hostpact.core import audit, clock


@transaction.atomic
def add_payment_method(user, card: CardToken, actor: str) -> PaymentMethod:
    """Store a gateway token as the user's default card."""
    user.payment_methods.filter(is_default=True).update(is_default=False)
    method = PaymentMethod.objects.create(
        user=user, subject_id=user.subject_id, gateway=card.gateway,
        token=card.token, brand=card.brand, last4=card.last4, exp_month=str(card.exp_month),
        exp_year=str(card.exp_year), is_default=True, created_at=clock.now(),
    )
    audit.record(actor, "billing.card.add", user.subject_id,
                 ["token", "brand", "last4", "exp_month", "exp_year"], f"card:{method.pk}")
    return method
