"""Create subjects and destroy their keys."""

from django.db import transaction

from hostpact.core import clock, crypto, ratelimit
from hostpact.core.models import DataKey, Subject


def create_subject(kind: str, realm_id=None) -> Subject:
    """Create a subject of ``kind`` (see ``Subject.Kind``), one of ``realm_id``'s customers
    when given (None: the platform's own)."""
    return Subject.objects.create(kind=kind, created_at=clock.now(), realm_id=realm_id)


def shred(subject_id, retention_classes=None) -> int:
    """Destroy the subject's data keys (all, or those of the given classes); return how many.

    The wrapped key is overwritten, not only flagged, so the ciphertext left anywhere (rows,
    backups, logs) can never be decrypted again; processes that cached the key drop it within
    ``KEY_CACHE_SWEEP_SECONDS``.
    """
    with transaction.atomic():
        keys = DataKey.objects.select_for_update().filter(
            subject_id=subject_id, shredded_at__isnull=True
        )
        if retention_classes is not None:
            keys = keys.filter(retention_class__in=list(retention_classes))
        count = 0
        for key in keys:
            key.wrapped = None
            key.shredded_at = clock.now()
            key.save(update_fields=["wrapped", "shredded_at"])
            crypto.key_cache.forget(subject_id, key.retention_class)
            count += 1
        if count:  # other processes forget their cached copies when they see this move
            ratelimit.increment(crypto.SHREDS_COUNTER)
        return count
