"""Helpers for the disclosures tests.

Every sign-up records the card's disclosure to the payment gateway; tests about other
recipients look past it.
"""

from hostpact.privacy.disclosures.models import Disclosure

GATEWAY = "test-gateway"


def not_gateway(rows: list[dict]) -> list[dict]:
    """Listing rows (``for_subject``) other than the payment gateway's."""
    return [r for r in rows if not r["recipient"].startswith("Test Payment Gateway")]


def others():
    """Disclosures to anyone but the payment gateway."""
    return Disclosure.objects.exclude(recipient__slug=GATEWAY)
