"""Data-map declarations of the rights app's models.

They hold ids, states, counts and taxonomy keys only: the records of an erasure must not bring
back what it erased.
"""

from hostpact.privacy.registry import declare, not_personal
from hostpact.privacy.rights.models import ChildReport, ErasureJob, KeyExpiry, LegalHold, Tombstone

_job = "the state of an erasure: ids, step names, counts and legal bases, no values"
declare(ErasureJob, **{f: not_personal(_job) for f in (
    "id", "request_id", "status_token", "subject", "reason", "actor", "state", "steps_done",
    "counts", "kept", "hold_reason", "error", "attempts", "created_at", "updated_at",
    "finished_at", "remnants_purged_at")})
declare(Tombstone, **{f: not_personal("an erasure with no link to whom") for f in (
    "id", "erased_on", "reason", "counts")})
declare(KeyExpiry, **{f: not_personal("when a data key is to be destroyed") for f in (
    "id", "subject", "retention_class", "due_at", "shredded_at")})
declare(ChildReport, id=not_personal(), job=not_personal(),
        flagged_by=not_personal("a staff id"), flagged_at=not_personal(),
        note=not_personal("a staff reference such as a request number; the form says no "
                          "details of the child"))
declare(LegalHold, **{f: not_personal("a hold: ids, a reason code, a case reference, dates")
                      for f in ("id", "subject", "record_model", "record_pk", "reason",
                                "reference", "starts_at", "ends_at", "released_at",
                                "created_by", "role", "created_at", "key_subject",
                                "key_shredded_at")})
