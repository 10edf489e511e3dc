"""Fixed-window rate limits and counters kept in the database (shared by every process).

Keys are keyed hashes, never an address or an email in clear. Counters written here survive a
refused request on purpose: they are how refusals are counted.
"""

import hashlib
import hmac

from django.db import IntegrityError, transaction
from django.db.models import F

from hostpact.core import clock
from hostpact.core.crypto import _index_key
from hostpact.core.models import Counter


def _hash(value: str) -> str:
    return hmac.new(_index_key(), value.encode(), hashlib.sha256).hexdigest()[:32]


def increment(name: str, by: int = 1) -> int:
    """Add ``by`` to the named counter (created at zero) and return its new value."""
    now = clock.now()
    with transaction.atomic():
        updated = Counter.objects.filter(name=name).update(value=F("value") + by, updated_at=now)
        if not updated:
            try:
                with transaction.atomic():
                    Counter.objects.create(name=name, value=by, updated_at=now)
            except IntegrityError:
                Counter.objects.filter(name=name).update(value=F("value") + by, updated_at=now)
        return Counter.objects.get(name=name).value


def value(name: str) -> int:
    row = Counter.objects.filter(name=name).first()
    return row.value if row else 0


def _bucket(scope: str, key: str, window: int) -> str:
    slot = int(clock.now().timestamp()) // window
    return f"rl:{scope}:{_hash(key)}:{slot}"


def hit(scope: str, key: str, window: int) -> int:
    """Count one event for ``key`` in the current window of ``window`` seconds."""
    return increment(_bucket(scope, key, window))


def count(scope: str, key: str, window: int) -> int:
    return value(_bucket(scope, key, window))


def reset(scope: str, key: str, window: int) -> None:
    Counter.objects.filter(name=_bucket(scope, key, window)).delete()


def purge_expired(older_than_seconds: int = 86400) -> int:
    """Delete rate-limit buckets not touched for a day."""
    from datetime import timedelta

    cutoff = clock.now() - timedelta(seconds=older_than_seconds)
    deleted, _ = Counter.objects.filter(name__startswith="rl:", updated_at__lt=cutoff).delete()
    return deleted
