"""Records a legal hold keeps, under the hold's own key, while their person is erased.

A hold on one record must not pause the erasure of everything else, and the record must
survive the shredding of its person's keys. So before those keys go (``protect_records``, run
by the erasure and by the retention run before it shreds a kept key), each held record's
encrypted columns are re-encrypted under a key of the hold: the key of a ``core.Subject`` of
kind ``legal_hold``, shared by every hold on that record. That ciphertext decrypts only in
``crypto.reading_held()`` (the compliance pages), so other roles see no value.

Once no hold on the record is in force (released or ended), the retention run gives the record
back to its own retention (``release_key``): a column whose class key of the person still lives
(an invoice within the tax period) is encrypted under it again and goes with it; the others are
cleared. Then the hold's key is shredded.
"""

import logging

from django.apps import apps
from django.db import transaction

from hostpact.core import audit, clock, crypto, subjects
from hostpact.core.fields import EncryptedTextField
from hostpact.core.models import DataKey, Subject
from hostpact.privacy import registry
from hostpact.privacy.rights import queries
from hostpact.privacy.rights.models import LegalHold

log = logging.getLogger(__name__)

ACTOR = "system:legal-hold"


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _encrypted(model) -> list[EncryptedTextField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def _shared_key(hold: LegalHold):
    """The live key subject of another hold on the same record, if there is one."""
    return (LegalHold.objects.filter(record_model=hold.record_model, record_pk=hold.record_pk,
                                     key_subject__isnull=False, key_shredded_at__isnull=True)
            .exclude(pk=hold.pk).values_list("key_subject_id", flat=True).first())


def _move_under(model, pk: str, key_subject_id) -> list[str]:
    """Re-encrypt the record's encrypted columns under the hold key; return their names."""
    fields = _encrypted(model)
    with crypto.reading_held():  # a column moved before reads back as it is
        row = model._default_manager.filter(pk=pk).first()
    if row is None or not fields:
        return []
    tokens = {}
    for f in fields:
        value = getattr(row, f.attname)
        if value is not None and value != "":
            tokens[f.attname] = crypto.encrypt(key_subject_id, crypto.HOLD_CLASS, f.to_text(value))
    if tokens:
        # update(), not save(): save() would encrypt the values under the row's own subject.
        model._default_manager.filter(pk=pk).update(**tokens)
    return sorted(tokens)


def protect_records(subject_id, moment=None) -> list[str]:
    """Move every record of ``subject_id`` under a hold in force to its hold's key.

    Run inside the caller's transaction, before the subject's keys are shredded; a record
    already under a live hold key is left as it is. Returns the names of the columns moved.
    """
    moved: list[str] = []
    for hold in queries.record_holds(subject_id, moment):
        if hold.key_subject_id and hold.key_shredded_at is None:
            continue
        model = _model(hold.record_model)
        if model is None:
            continue
        names: list[str] = []
        shared = _shared_key(hold)
        if shared is None:
            shared = subjects.create_subject(Subject.Kind.LEGAL_HOLD).pk
            names = _move_under(model, hold.record_pk, shared)
        hold.key_subject_id, hold.key_shredded_at = shared, None
        hold.save(update_fields=["key_subject", "key_shredded_at"])
        audit.record(ACTOR, "rights.hold.protect", subject_id, names, f"hold:{hold.pk}")
        moved += names
    return moved


def keys_due(moment=None) -> list:
    """Hold keys whose record no hold in force covers any more (a hold placed later on the
    same record counts, key or not) and whose person is not held as a whole."""
    held = queries.held_record_refs(moment)
    held_subjects = queries.held_subjects(moment)
    due = []
    for key_subject_id, subject_id, label, pk in (
            LegalHold.objects.filter(key_subject__isnull=False, key_shredded_at__isnull=True)
            .values_list("key_subject_id", "subject_id", "record_model", "record_pk")
            .order_by("key_subject_id")):
        if (label, pk) not in held and subject_id not in held_subjects \
                and key_subject_id not in due:
            due.append(key_subject_id)
    return due


def _live_classes(subject_id) -> set[str]:
    return set(DataKey.objects.filter(subject_id=subject_id, shredded_at__isnull=True)
               .values_list("retention_class", flat=True))


def release_key(key_subject_id) -> int:
    """Give the record back to its own retention and shred the hold's key; return 1 if done.

    A column whose class key of the record's subject still lives is encrypted under it again
    (it goes with that key, at the date erasure listed); the other columns are cleared.
    """
    with transaction.atomic():
        holds = list(LegalHold.objects.select_for_update()
                     .filter(key_subject_id=key_subject_id, key_shredded_at__isnull=True))
        if not holds:
            return 0
        hold = holds[0]
        model = _model(hold.record_model)
        names: list[str] = []
        if model is not None:
            names = _return_record(model, hold.record_pk, hold.subject_id)
        subjects.shred(key_subject_id)
        now = clock.now()
        for h in holds:
            h.key_shredded_at = now
            h.save(update_fields=["key_shredded_at"])
        audit.record(ACTOR, "rights.hold.release_key", hold.subject_id, names,
                     f"hold:{hold.pk}")
    log.info("legal hold %s: key shredded, record returned to its retention", hold.pk)
    return 1


def _return_record(model, pk: str, subject_id) -> list[str]:
    fields = _encrypted(model)
    with crypto.reading_held():
        row = model._default_manager.filter(pk=pk).first()
    if row is None or not fields:
        return []
    live = _live_classes(subject_id) if subject_id else set()
    changed = []
    for f in fields:
        if getattr(row, f.attname) in (None, ""):
            continue
        if f.retention_class not in live:
            setattr(row, f.attname, None)
        changed.append(f.name)
    if changed:
        row.save(update_fields=changed)  # save(): what is kept is encrypted under its own key
    return changed


def held_values(hold: LegalHold) -> list[tuple[str, str]]:
    """(label, value) of each personal field of the held record, decrypted under the hold's
    key, for the compliance page; empty when the hold names no record or the record is gone."""
    model = _model(hold.record_model) if hold.record_model else None
    if model is None:
        return []
    with crypto.reading_held():
        row = model._default_manager.filter(pk=hold.record_pk).first()
    if row is None:
        return []
    try:
        declared = registry.for_model(model).personal_fields()
    except KeyError:
        return []
    out = []
    for name, decl in declared.items():
        f = model._meta.get_field(name)
        if f.many_to_many or name.endswith("_index"):
            continue
        value = getattr(row, f.attname)
        out.append((decl.label or str(f.verbose_name).capitalize(),
                    "" if value is None else str(value)))
    return out
