"""Cards: the gateway's token kept as the default card, and the card handed to the gateway.

The card number goes to the gateway only after the disclosures gate allows it; each stored card
is recorded as a disclosure to the gateway (DESIGN rule 3: processors are recipients too).
"""

import logging

from django.db import transaction

from hostpact.billing.gateway import CardError, CardToken, gateway
from hostpact.billing.models import PaymentMethod
from hostpact.billing.services.common import CARD_CATEGORIES, PAYMENT_PURPOSE
from hostpact.core import audit, clock
from hostpact.privacy.disclosures.services import DisclosureRefused, record_processor_disclosure
from hostpact.privacy.disclosures.services import check as check_disclosure
from hostpact.privacy.rights.guard import lock_subject_for_write

log = logging.getLogger(__name__)


@transaction.atomic
def add_payment_method(user, card: CardToken, actor: str) -> PaymentMethod:
    """Store a gateway token as the user's default card, and record the card's disclosure to
    the gateway (DESIGN rule 3: processors are recipients too)."""
    lock_subject_for_write(user.subject_id)
    user.payment_methods.filter(is_default=True).update(is_default=False)
    method = PaymentMethod.objects.create(
        user=user, subject_id=user.subject_id, gateway=card.gateway,
        token=card.token, brand=card.brand, last4=card.last4, exp_month=str(card.exp_month),
        exp_year=str(card.exp_year), is_default=True, created_at=clock.now(),
    )
    audit.record(actor, "billing.card.add", user.subject_id,
                 ["token", "brand", "last4", "exp_month", "exp_year"], f"card:{method.pk}")
    record_processor_disclosure(card.gateway, [user.subject_id], CARD_CATEGORIES,
                                PAYMENT_PURPOSE, reference=f"card:{method.pk}", actor=actor)
    return method


def tokenize_card(number, exp_month, exp_year, cvc) -> CardToken:
    """Hand a card to the gateway once the disclosures gate says the gateway may have it.

    Raises ``CardError`` (naming the card field) for a refused card, and for a gateway the gate
    refuses (its agreement lapsed, say), before anything leaves.
    """
    processor = gateway()
    try:
        check_disclosure(processor.name, CARD_CATEGORIES, PAYMENT_PURPOSE)
    except DisclosureRefused:
        log.warning("card not sent: the gate refuses gateway %s", processor.name)
        raise CardError("Card payments are not available right now; please try again later.")
    return processor.tokenize(number, exp_month, exp_year, cvc)


def replace_card(user, number: str, exp_month: int, exp_year: int, cvc: str,
                 actor: str) -> PaymentMethod:
    """Send a new card to the gateway and keep its token as the default card.

    Raises ``CardError`` (naming the card field) before anything is written.
    """
    return add_payment_method(user, tokenize_card(number, exp_month, exp_year, cvc), actor)
