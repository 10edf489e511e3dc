"""What an order can be attached to that billing does not own: a subscriber's domain.

Billing may not import the domains app (they are independent siblings), so a layer above
registers how to find one of a subscriber's domains by the name they typed. Without a resolver
no domain is found, and an order naming one is refused.
"""

from collections.abc import Callable

DomainResolver = Callable[[object, str], str | None]

_resolver: DomainResolver | None = None


def register_domain_resolver(fn: DomainResolver) -> DomainResolver:
    """Make ``fn(user, text)`` the way to find one of ``user``'s domains: it returns the
    domain's A-label, or None when the user has no domain of that name. Return ``fn``, so
    this can decorate it."""
    global _resolver
    _resolver = fn
    return fn


def resolve_domain(user, text: str) -> str | None:
    """Return the A-label of ``user``'s domain named ``text``, or None (also without a
    resolver)."""
    if _resolver is None or not text:
        return None
    return _resolver(user, text)
