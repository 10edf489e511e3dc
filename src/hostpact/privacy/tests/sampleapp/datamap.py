"""The test app's declarations: the same calls a real feature app makes, and nothing else."""

from hostpact.privacy import registry
from hostpact.privacy.registry import declare, not_personal, personal
from hostpact.privacy.tests.sampleapp.models import LoyaltyCard

declare(
    LoyaltyCard, id=not_personal(), subject=not_personal(), user=not_personal(),
    points=not_personal(), created_at=not_personal(),
    printed_name=personal("user.name", purposes=("essential.service",),
                          label="Name printed on the card"),
    phone=personal("user.contact.phone_number", purposes=("essential.service",),
                   label="Phone for card offers"),
)
registry.section(LoyaltyCard, "Loyalty card", order=60)
registry.subscriber_inline(LoyaltyCard)
registry.back_office("sampleapp", roles=("support", "marketing", "compliance"))


@registry.erasure_precondition("sampleapp.points_owed")
def points_owed(user) -> list[registry.Blocker]:
    """Return a blocker for each of ``user``'s cards with a negative balance (points owed)."""
    return [registry.Blocker(f"Your loyalty card owes {-card.points} points: settle them "
                             "first.", "panel:dashboard")
            for card in LoyaltyCard.objects.filter(user=user, points__lt=0)]
