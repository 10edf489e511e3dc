"""The realm a request or a job works in: the platform's own (None) or a reseller's.

A request on a reseller's host name runs in that reseller's realm (its middleware sets it), so
looking an account up by email, creating one, or signing one in only ever sees that realm's
accounts: the same address can be a customer of two resellers and of the platform, as three
separate accounts. Code outside a request (commands, tasks, tests) runs in the platform's realm
unless it says otherwise with ``using``.
"""

from contextlib import contextmanager
from contextvars import ContextVar

CURRENT = object()  # a default argument meaning "the realm in force", since None means ours

_current: ContextVar[int | None] = ContextVar("hostpact_realm", default=None)


def current() -> int | None:
    """Return the id of the realm in force (None: the platform's own)."""
    return _current.get()


def activate(realm_id: int | None):
    """Make ``realm_id`` the realm in force; return the token ``deactivate`` takes."""
    return _current.set(realm_id)


def deactivate(token) -> None:
    _current.reset(token)


@contextmanager
def using(realm_id: int | None):
    """Run the block in ``realm_id``'s realm."""
    token = _current.set(realm_id)
    try:
        yield
    finally:
        _current.reset(token)
