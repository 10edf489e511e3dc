"""Helpers for the policy tests: a fixed clock and a published material version."""

import datetime

from hostpact.privacy.policy import services

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
NEW_USE = "marketing.communications.email.promotions"


def publish_material(at=T0, days=31, uses=(NEW_USE,), **over):
    """Publish a material version taking effect ``days`` after ``at`` (clock must be frozen)."""
    data = {"title": "Privacy Policy", "text": "# Privacy Policy\n\nWe now also promote.",
            "effective_at": at + datetime.timedelta(days=days), "material": True,
            "new_uses": list(uses), "summary": "We may email you promotions.",
            "actor": "staff:1"}
    data.update(over)
    return services.publish_version(**data)
