"""Master-key rotation while the platform runs: add, activate, re-wrap, retire.

1. A new master key is added to the keyring file and made active. Other processes pick it up
   when they meet its id on a re-wrapped data key, or within ``crypto.RECHECK_SECONDS`` when
   they notice the file changed, so new data keys are soon wrapped under it everywhere.
2. After a grace period longer than that, every data key still wrapped under another master
   key is re-wrapped, batch by batch, each batch in its own transaction and row-locked, so a
   key shredded meanwhile stays shredded. Passes repeat until none is left (a process that
   wrapped a key under the old master during the grace period is caught by the next pass).
3. The old keys are removed from the file: what they wrapped no longer exists anywhere.

The data keys themselves do not change, so no ciphertext is rewritten and nothing is
unreadable at any moment. A single key given in ``HOSTPACT_MASTER_KEY`` cannot be rotated this
way (no file to share with the running processes).
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.db import transaction

from hostpact.core import audit, crypto
from hostpact.core.keyfiles import new_keyring_entry, read_or_create_keyring, write_keyring
from hostpact.core.models import DataKey


class RotationRefused(Exception):
    """Rotation is impossible with this configuration; the message says why."""


def _pending(new_id: str):
    return (DataKey.objects.filter(shredded_at__isnull=True, wrapped__isnull=False)
            .exclude(master_key_id=new_id))


def check() -> None:
    """Raise RotationRefused when this configuration cannot rotate."""
    if settings.MASTER_KEY:
        raise RotationRefused(
            "The master key comes from HOSTPACT_MASTER_KEY, a single key that cannot be "
            "rotated while the platform runs. Move it to a keyring file "
            "(HOSTPACT_MASTER_KEY_FILE) first, then rotate.")


def start() -> tuple[str, list[str]]:
    """Add a new master key and make it active; return (new id, the ids it replaces)."""
    check()
    path = settings.MASTER_KEY_FILE
    ring = read_or_create_keyring(path)
    new_id, key = new_keyring_entry()
    old = list(ring["keys"])
    ring["keys"][new_id] = key
    ring["active"] = new_id
    write_keyring(path, ring)
    crypto.keyring.reload()
    return new_id, old


def pending_count(new_id: str) -> int:
    return _pending(new_id).count()


def rewrap(new_id: str, batch: int = 1000, progress: Callable[[int], None] | None = None) -> int:
    """Re-wrap every live data key not yet under ``new_id``; return how many."""
    done = 0
    while True:
        ids = list(_pending(new_id).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return done
        with transaction.atomic():
            rows = list(_pending(new_id).select_for_update().filter(pk__in=ids))
            for row in rows:
                key = crypto.unwrap(row.master_key_id, bytes(row.wrapped))
                row.master_key_id, row.wrapped = crypto.wrap(key)
                if row.master_key_id != new_id:
                    raise RuntimeError("the active master key changed during rotation")
            DataKey.objects.bulk_update(rows, ["master_key_id", "wrapped"])
        done += len(rows)
        if progress:
            progress(len(rows))


def retire(new_id: str, old_ids: list[str]) -> None:
    """Remove the replaced master keys from the keyring file once nothing uses them."""
    if pending_count(new_id):
        raise RuntimeError("data keys are still wrapped under an old master key")
    path = settings.MASTER_KEY_FILE
    ring = read_or_create_keyring(path)
    for kid in old_ids:
        if kid != new_id:
            ring["keys"].pop(kid, None)
    write_keyring(path, ring)
    crypto.keyring.reload()
    with transaction.atomic():
        audit.record("system", "keys.rotate", None, [], f"master:{new_id}")


def rotate(grace: float | None = None, batch: int = 1000, progress=None,
           on_total: Callable[[int], None] | None = None) -> tuple[str, int]:
    """Run the whole rotation; return (new key id, data keys re-wrapped)."""
    new_id, old = start()
    time.sleep(2 * crypto.RECHECK_SECONDS if grace is None else grace)
    total = 0
    while True:
        if on_total:
            on_total(pending_count(new_id) + total)
        n = rewrap(new_id, batch, progress)
        total += n
        if n == 0:
            break
    retire(new_id, old)
    return new_id, total
