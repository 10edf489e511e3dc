"""The privacy vocabulary: fideslang's default taxonomy, plus hostpact's own extensions.

Keys are dotted (``user.contact.email``); a key that is neither in fideslang's taxonomy nor in
``EXTENSIONS`` is refused where it is declared, so a typo fails at start-up, not in an export.
"""

from functools import lru_cache

# Keys fideslang does not have, each a child of a fideslang key.
EXTENSIONS = {
    "data_category": {
        "user.financial.credit_card.token": "Payment gateway token standing for a card.",
        "user.financial.credit_card.summary": "Card brand, last four digits and expiry.",
        "user.financial.invoice": "Invoices: billed name, address, lines, amounts.",
        "user.authorization.credentials.totp": "Two-factor secrets and backup codes.",
        "system.aggregate": "Counts over many subscribers, each under its threshold "
        "suppressed: about no one, and the host's proprietary information (policy 3.1).",
    },
    "data_use": {
        "essential.service.account_management": "Running the subscriber's account.",
        "marketing.communications.email.promotions": "Promotional email about our products.",
        "marketing.communications.email.promotions.partners": "Promotions of co-marketing "
        "partners, sent by us or shared with the partner under confidentiality.",
        "functional.service.improve.survey_followup": "Following up on a survey answer and "
        "telling the participant what changed in response, when they agreed to it (policy 3.4).",
    },
    "data_subject": {
        "subscriber": "A customer who signed up (fideslang: customer).",
        "domain_contact": "A registrant, admin, tech or billing contact of a domain.",
        "staff": "An employee of the host (fideslang: employee).",
    },
}


@lru_cache(maxsize=1)
def keys() -> dict[str, frozenset[str]]:
    from fideslang.default_taxonomy import DEFAULT_TAXONOMY

    out = {}
    for kind in ("data_category", "data_use", "data_subject"):
        fides = {item.fides_key for item in getattr(DEFAULT_TAXONOMY, kind)}
        out[kind] = frozenset(fides | set(EXTENSIONS[kind]))
    return out


def check(kind: str, key: str) -> str:
    """Return ``key`` if it is a known key of ``kind``; raise ValueError otherwise."""
    if key not in keys()[kind]:
        raise ValueError(f"unknown {kind} key {key!r}")
    return key


def within(key: str, ancestor: str) -> bool:
    """True if ``key`` is ``ancestor`` or lies under it."""
    return key == ancestor or key.startswith(ancestor + ".")
