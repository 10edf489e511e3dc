"""The registry of recipients: who may receive what, under which agreement (C21).

Compliance keeps it in the back office; every change is audited, and every category key is
checked against the taxonomy so a typo cannot widen or narrow what a recipient receives. The
standing recipients every installation starts with are seeded from ``standing``.
"""

from django.db import transaction

from hostpact.core import audit, clock
from hostpact.privacy import taxonomy
from hostpact.privacy.disclosures import standing
from hostpact.privacy.disclosures.models import Agreement, Recipient


def seed_standing() -> int:
    """Create the standing recipients that are missing (never changes existing ones)."""
    with transaction.atomic():
        return standing.seed(Recipient, Agreement, clock.now())


def check_keys(kind: str, keys) -> list[str]:
    """Return ``keys`` if each is a known taxonomy key of ``kind``; raise ValueError if not."""
    return [taxonomy.check(kind, k) for k in keys or []]


@transaction.atomic
def save_recipient(recipient: Recipient, *, actor: str) -> Recipient:
    """Create or change a recipient (back office); category keys are checked."""
    check_keys("data_category", recipient.allowed_categories)
    if recipient.created_at is None:
        recipient.created_at = clock.now()
    recipient.save()
    audit.record(actor, "disclosure.recipient.save", None,
                 ["allowed_categories", "allowed_purposes", "active"],
                 f"recipient:{recipient.slug}")
    return recipient


@transaction.atomic
def save_agreement(agreement: Agreement, *, actor: str) -> Agreement:
    """Create or change an agreement with a recipient (back office), audited."""
    agreement.save()
    audit.record(actor, "disclosure.agreement.save", None, ["valid_from", "valid_until",
                                                            "confidentiality"],
                 f"agreement:{agreement.pk}")
    return agreement
