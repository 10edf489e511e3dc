"""The privacy spine: the data map, the taxonomy, and the two questions every app asks.

``disclose()`` is the only way personal data leaves for a third party; ``allowed()`` says whether
a subject's data may serve a use (opt-outs and consent respected). Both live in sub-apps and are
re-exported here so callers write ``privacy.disclose(...)`` and ``privacy.allowed(...)``.
"""


def disclose(*args, **kwargs):
    """See ``hostpact.privacy.disclosures.services.disclose``."""
    from hostpact.privacy.disclosures.services import disclose as _disclose

    return _disclose(*args, **kwargs)


def allowed(subject, use: str) -> bool:
    """See ``hostpact.privacy.policy.services.allowed``."""
    from hostpact.privacy.policy.services import allowed as _allowed

    return _allowed(subject, use)
