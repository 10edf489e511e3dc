"""Helpers of the consent tests: a visitor's cookie in a given state."""

from hostpact.consent import state, versions


def consent_cookie(categories=(), *, flags=state.CHOSEN, policy_version=None,
                   banner_revision=None, consent_id="a" * 32) -> str:
    """Return a valid ``hp_consent`` value granting ``categories``."""
    return state.encode(state.Stored(
        frozenset(categories) | {"required"},
        versions.policy_version() if policy_version is None else policy_version,
        versions.banner_revision() if banner_revision is None else banner_revision,
        consent_id, 1_700_000_000, flags))
