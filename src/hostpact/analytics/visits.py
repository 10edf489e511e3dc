"""Visit counting (policy 2.3.1, C07): repeat visits by a random id, or by a daily hash.

A page view is appended to a ``core.batchlog.BatchLog`` on the request path; the writer's
thread adds the batch to the tables:

* with performance consent, the view carries the random id of the ``hp_visitor`` cookie: its
  ``Visitor`` row counts the view and, on a new day, the day (a repeat visit when the visitor
  was seen on an earlier day);
* without it, no cookie: the view carries the client's address and user agent, which never
  leave this process's memory: the writer stores only SHA-256 of the day's random salt +
  address + user agent (``VisitHash``), so the day's distinct visitors are counted and
  nobody can be followed from one day to the next. The salt is destroyed after 48 hours
  (``destroy_old_salts``, a periodic task), and the hashes go with the ``visit_hash`` class.

``VisitDay`` keeps each day's counts for the statistics.
"""

import hashlib
import re
import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F

from hostpact.analytics.models import VisitDay, VisitHash, Visitor, VisitSalt
from hostpact.core import clock
from hostpact.core.batchlog import BatchLog

SALT_LIFETIME = timedelta(hours=48)
ID_PATTERN = re.compile(r"^[0-9a-f]{32}$")
VISITOR = "visitor"
HASH = "hash"
_CHUNK = 500


def new_visitor_id() -> str:
    """Return a fresh random repeat-visit id (32 hex digits), derived from nothing."""
    return secrets.token_hex(16)


def valid_id(value: str | None) -> bool:
    """Return True if ``value`` is an id ``new_visitor_id`` could have made."""
    return bool(value) and bool(ID_PATTERN.match(value))


def count_visitor(visitor_id: str, day) -> None:
    """Buffer a page view of the visitor with the random ``visitor_id`` on ``day``."""
    writer.append((day, VISITOR, visitor_id, clock.now()))


def count_anonymous(ip: str, user_agent: str, day) -> None:
    """Buffer a cookieless page view; the address and user agent are hashed at the write."""
    writer.append((day, HASH, f"{ip}\n{user_agent}", clock.now()))


def salt_of(day) -> str:
    """Return ``day``'s salt, drawn at its first use (another process may draw it first)."""
    row = VisitSalt.objects.filter(day=day).first()
    if row is None:
        try:
            with transaction.atomic():
                row = VisitSalt.objects.create(day=day, salt=secrets.token_hex(32),
                                               created_at=clock.now())
        except IntegrityError:
            row = VisitSalt.objects.get(day=day)
    return row.salt


def digest(salt: str, key: str) -> str:
    """Return the hex SHA-256 of ``salt`` + ``key`` (address and user agent)."""
    return hashlib.sha256(f"{salt}\n{key}".encode()).hexdigest()


def _add(counts: dict, day, field: str, n: int = 1) -> None:
    counts.setdefault(day, dict.fromkeys(("views", "visitors", "returning", "anonymous"), 0))
    counts[day][field] += n


def _write_visitors(rows, counts: dict) -> None:
    ids = list({key for _, _, key, _ in rows})
    known = {}
    for start in range(0, len(ids), _CHUNK):
        known.update((v.visitor_id, v) for v in
                     Visitor.objects.filter(visitor_id__in=ids[start:start + _CHUNK]))
    new = {}
    for day, _, key, at in rows:
        _add(counts, day, "views")
        visitor = known.get(key) or new.get(key)
        if visitor is None:
            new[key] = Visitor(visitor_id=key, first_day=day, last_day=day, days=1, views=1,
                               updated_at=at)
            _add(counts, day, "visitors")
            continue
        visitor.views += 1
        visitor.updated_at = at
        if day > visitor.last_day:
            visitor.last_day = day
            visitor.days += 1
            _add(counts, day, "visitors")
            _add(counts, day, "returning")
    Visitor.objects.bulk_create(new.values(), ignore_conflicts=True)
    Visitor.objects.bulk_update(known.values(), ["last_day", "days", "views", "updated_at"],
                                batch_size=_CHUNK)


def _write_hashes(rows, counts: dict) -> None:
    views: dict[tuple, int] = {}
    first: dict[tuple, object] = {}
    salts = {}
    for day, _, key, at in rows:
        if day not in salts:
            salts[day] = salt_of(day)
        pair = (day, digest(salts[day], key))
        views[pair] = views.get(pair, 0) + 1
        first.setdefault(pair, at)
    for day in salts:
        digests = [d for (dd, d) in views if dd == day]
        known = set()
        for start in range(0, len(digests), _CHUNK):
            known.update(VisitHash.objects.filter(day=day, digest__in=digests[start:start + _CHUNK])
                         .values_list("digest", flat=True))
        fresh = [VisitHash(day=day, digest=d, views=views[(day, d)], at=first[(day, d)])
                 for d in digests if d not in known]
        VisitHash.objects.bulk_create(fresh, ignore_conflicts=True)
        # One update per distinct increment, not per hash: most have one view in a batch.
        by_increment: dict[int, list[str]] = {}
        for d in known:
            by_increment.setdefault(views[(day, d)], []).append(d)
        for n, same in by_increment.items():
            for start in range(0, len(same), _CHUNK):
                VisitHash.objects.filter(day=day, digest__in=same[start:start + _CHUNK]).update(
                    views=F("views") + n)
        _add(counts, day, "anonymous", len(fresh))
        _add(counts, day, "views", sum(views[(day, d)] for d in digests))


def write(rows: list[tuple]) -> None:
    """Add a batch of buffered page views to the tables (the writer's thread, or ``flush``)."""
    counts: dict = {}
    _write_visitors([r for r in rows if r[1] == VISITOR], counts)
    _write_hashes([r for r in rows if r[1] == HASH], counts)
    for day, added in counts.items():
        VisitDay.objects.get_or_create(day=day)
        VisitDay.objects.filter(day=day).update(
            **{name: F(name) + n for name, n in added.items() if n})


writer = BatchLog("analytics-visits", write=write)


def destroy_old_salts(moment=None) -> int:
    """Delete the salts drawn more than 48 hours before ``moment`` (default: now); return how
    many. Without its salt a day's hashes can no longer be matched to an address."""
    moment = moment or clock.now()
    deleted, _ = VisitSalt.objects.filter(created_at__lt=moment - SALT_LIFETIME).delete()
    return deleted
