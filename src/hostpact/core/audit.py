"""The audit ledger: who changed or read whose personal data, never the values.

Each entry's hash is an HMAC (key in ``var/keys/audit.key``, outside the database) over the
previous entry's hash and the entry's canonical JSON, so rewriting history needs the key.
Entries are appended inside the caller's transaction under a lock, so the chain has no forks
and an event exists exactly when the change it describes was committed.
"""

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db import connection, transaction

from hostpact.core import clock
from hostpact.core.keyfiles import read_or_create_secret
from hostpact.core.models import AuditEntry

GENESIS = "0" * 64
_LOCK_ID = 0x68_6F_73_74  # "host"


@lru_cache(maxsize=1)
def _key() -> bytes:
    return base64.urlsafe_b64decode(read_or_create_secret(settings.AUDIT_KEY_FILE))


def _digest(prev_hash: str, entry: AuditEntry) -> str:
    body = json.dumps(
        {
            "seq": entry.seq,
            "at": entry.at.isoformat(),
            "actor": entry.actor,
            "action": entry.action,
            "subject": str(entry.subject_id) if entry.subject_id else None,
            "object": entry.object_ref,
            "fields": sorted(entry.fields),
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hmac.new(_key(), (prev_hash + body).encode(), hashlib.sha256).hexdigest()


def actor_of(user) -> str:
    """Name an actor by role and id only."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    return f"staff:{user.pk}" if user.is_staff else f"subscriber:{user.customer_id}"


def record(actor: str, action: str, subject_id=None, fields=(), object_ref: str = "") -> None:
    """Append one event to the ledger in the current transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])
        last = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
        entry = AuditEntry(
            seq=(last.seq + 1) if last else 1,
            at=clock.now(),
            actor=actor[:64],
            action=action[:64],
            subject_id=subject_id,
            object_ref=str(object_ref)[:64],
            fields=sorted(set(fields)),
            prev_hash=last.hash if last else GENESIS,
        )
        entry.hash = _digest(entry.prev_hash, entry)
        entry.save()


@dataclass
class Verdict:
    ok: bool
    checked: int
    bad_seq: int | None = None
    reason: str = ""


def verify(batch: int = 5000) -> Verdict:
    """Walk the chain in order; name the first entry whose link or hash does not hold."""
    prev, expected_seq, checked = GENESIS, 1, 0
    last_seq = 0
    while True:
        rows = list(AuditEntry.objects.filter(seq__gt=last_seq).order_by("seq")[:batch])
        if not rows:
            return Verdict(True, checked)
        for entry in rows:
            if entry.seq != expected_seq:
                return Verdict(False, checked, entry.seq, f"expected entry #{expected_seq}")
            if entry.prev_hash != prev:
                return Verdict(False, checked, entry.seq, "previous-hash link broken")
            if not hmac.compare_digest(entry.hash, _digest(prev, entry)):
                return Verdict(False, checked, entry.seq, "hash does not match contents")
            prev, expected_seq, last_seq = entry.hash, expected_seq + 1, entry.seq
            checked += 1
