"""The policy version and banner revision a choice must match, read without a query.

The version in force is cached in the process and dropped when a ``PolicyVersion`` is saved
(a signal, connected in ``apps.py``), when the next published version takes effect, and after
``RECHECK_SECONDS`` so a version published by another process is seen within a minute.
"""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError

from hostpact.core import clock
from hostpact.privacy.policy import services

log = logging.getLogger(__name__)
RECHECK_SECONDS = 60
_lock = threading.Lock()
# (number, effective_at, loaded at, valid until)
_cached: tuple[int, object, object, object] | None = None


def _load():
    now = clock.now()
    until = now + timedelta(seconds=RECHECK_SECONDS)
    try:
        current = services.in_force(now)
        coming = services.upcoming(now)
    except DatabaseError:
        # No readable policy table (a database not migrated yet): no version, asked again
        # soon; a page must not fail over it.
        log.warning("policy versions unreadable; consent treats no version as in force")
        return 0, None, now, now + timedelta(seconds=1)
    if coming and coming[0].effective_at < until:
        until = coming[0].effective_at
    if current is None:
        return 0, None, now, until
    return current.number, current.effective_at, now, until


def _current():
    global _cached
    found, now = _cached, clock.now()
    # A clock set back (tests, a development clock file) reads afresh too.
    if found is None or not found[2] <= now < found[3]:
        with _lock:
            found = _cached = _load()
    return found


def policy_version() -> int:
    """Return the number of the policy version in force (0 when none is)."""
    return _current()[0]


def policy_effective_at():
    """Return when the policy in force took effect, or None when none is."""
    return _current()[1]


def forget(**_kwargs) -> None:
    """Drop the cached version (a ``PolicyVersion`` was saved)."""
    global _cached
    _cached = None


def banner_revision() -> int:
    return int(settings.CONSENT_BANNER_REVISION)
