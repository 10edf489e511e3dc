"""The platform's one clock.

All code asks ``now()`` instead of ``timezone.now()`` so retention, deadlines and notices can be
shown without waiting: in development ``HOSTPACT_CLOCK_FILE`` may hold an ISO date-time or an
offset such as ``+30d`` that shifts the clock. Tests freeze it with ``freeze(...)``.
"""

import re
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

_frozen: datetime | None = None
_OFFSET = re.compile(r"^([+-])(\d+)([dhm])$")


def _shift() -> timedelta | datetime | None:
    path = settings.CLOCK_FILE
    if not path or not Path(path).exists():
        return None
    text = Path(path).read_text().strip()
    match = _OFFSET.match(text)
    if match:
        sign, amount, unit = match.groups()
        delta = timedelta(**{{"d": "days", "h": "hours", "m": "minutes"}[unit]: int(amount)})
        return delta if sign == "+" else -delta
    moment = datetime.fromisoformat(text)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, timezone.utc)


def now() -> datetime:
    """Return the current aware UTC date-time, honouring a frozen or shifted clock."""
    if _frozen is not None:
        return _frozen
    shift = _shift()
    if isinstance(shift, datetime):
        return shift
    current = timezone.now()
    return current + shift if shift else current


def today():
    """Return today's date in the display time zone."""
    return timezone.localtime(now()).date()


@contextmanager
def freeze(moment: datetime):
    """Hold the clock at ``moment`` inside the block (tests)."""
    global _frozen
    previous, _frozen = _frozen, moment
    try:
        yield moment
    finally:
        _frozen = previous
