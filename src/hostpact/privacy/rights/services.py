"""Rights actions of staff: flagging a child's account, placing and releasing legal holds.

Each runs in a transaction and writes its audit event (ids and field names only). A child's
account is erased at once by the erasure engine (``rights.erasure.services``).
"""

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction

from hostpact.core import audit, clock, ratelimit
from hostpact.privacy import roles, subject_data
from hostpact.privacy.rights.erasure import services as erasure
from hostpact.privacy.rights.models import ChildReport, ErasureJob, LegalHold

log = logging.getLogger(__name__)

CHILD_COUNTER = "children.accounts_found"
CHILD_ROLES = ("compliance", "support")
HOLD_ROLES = ("compliance",)


class RightsError(Exception):
    """A rights action was refused; ``field`` names what is wrong."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def _require_role(staff, allowed: tuple[str, ...]) -> None:
    if staff is None or not getattr(staff, "is_active", False) or not staff.is_staff:
        raise PermissionDenied("staff only")
    if not roles.has_role(staff, *allowed):
        raise PermissionDenied(f"needs the role {' or '.join(allowed)}")


# --- children (C34) ----------------------------------------------------------------------------

def flag_child(user, *, actor, note: str = "") -> ChildReport:
    """Staff found that ``user``'s account is a child's: erase everything but what the law
    cannot let go (invoices for the tax period), count it, and report what was done.

    ``actor`` is the staff member (role compliance or support). ``note`` is a reference for
    staff, such as the support request number, never the child's details.
    """
    _require_role(actor, CHILD_ROLES)
    if user.is_staff:
        raise RightsError("Staff accounts cannot be flagged as a child's.", "user")
    note = (note or "").strip()
    if len(note) > 200:
        raise RightsError("Keep the note under 200 characters.", "note")
    who = audit.actor_of(actor)
    with transaction.atomic():
        job = erasure.open_job(user.subject_id, actor=who, reason=ErasureJob.Reason.CHILD)
        report, created = ChildReport.objects.get_or_create(
            job=job, defaults={"flagged_by": who, "flagged_at": clock.now(), "note": note})
        if created:
            audit.record(who, "rights.child.flag", user.subject_id, [], f"erasure:{job.pk}")
    if created:
        # The anonymous count (C34) is the one figure kept about children found.
        ratelimit.increment(CHILD_COUNTER)
    erasure.run_job(job.pk)
    report.refresh_from_db()
    return report


def child_report(report: ChildReport) -> dict:
    """What was done and what was kept, and why, for staff."""
    job = report.job
    job.refresh_from_db()
    return {
        "flagged_at": report.flagged_at, "flagged_by": report.flagged_by, "note": report.note,
        "state": job.get_state_display(), "hold": job.hold_reason,
        "done": [{"what": k.replace("_", " "), "count": v} for k, v in sorted(job.counts.items())],
        "steps": list(job.steps_done),
        "kept": list(job.kept),
    }


# --- legal holds (C41) ---------------------------------------------------------------------

def _record_subject(record_model: str, record_pk: str):
    from django.apps import apps

    try:
        model = apps.get_model(record_model)
    except (LookupError, ValueError):
        raise RightsError("No such kind of record.", "record_model")
    row = model._default_manager.filter(pk=record_pk).first()
    if row is None:
        raise RightsError("No such record.", "record_pk")
    path = subject_data.subject_path(model)
    if path is None:
        return model, None
    subject_id = model._default_manager.filter(pk=record_pk).values_list(path, flat=True).first()
    return model, subject_id


def place_hold(*, actor, reason: str, subject_id=None, record_model: str = "",
               record_pk: str = "", ends_at=None, starts_at=None,
               reference: str = "") -> LegalHold:
    """Hold a subject's data, or one record, from erasure and purging (compliance role).

    A record hold keeps only its record: an erasure of its subject erases the rest at once.
    """
    _require_role(actor, HOLD_ROLES)
    if reason not in LegalHold.Reason.values:
        raise RightsError("Choose dispute, legal obligation or enforcement of an agreement.",
                          "reason")
    now = clock.now()
    starts_at = starts_at or now
    if ends_at is not None and ends_at <= starts_at:
        raise RightsError("The end must be after the start.", "ends_at")
    model_label = ""
    if record_model:
        model, record_subject = _record_subject(record_model, str(record_pk))
        model_label = model._meta.label_lower
        subject_id = subject_id or record_subject
    elif subject_id is None:
        raise RightsError("Name a subject or a record to hold.", "subject")
    who = audit.actor_of(actor)
    role = next((r for r in roles.role_names(actor) if r in HOLD_ROLES), "administrator")
    with transaction.atomic():
        hold = LegalHold.objects.create(
            subject_id=subject_id, record_model=model_label, record_pk=str(record_pk or ""),
            reason=reason, reference=reference[:100], starts_at=starts_at, ends_at=ends_at,
            created_by=who, role=role, created_at=now)
        audit.record(who, "rights.hold.place", subject_id, [], f"hold:{hold.pk}")
    return hold


def release_hold(hold: LegalHold, *, actor) -> LegalHold:
    """End a hold before its end date; held erasures resume, and a record kept under the hold's
    key returns to its own retention, at the next retention run."""
    _require_role(actor, HOLD_ROLES)
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if hold.released_at is None:
            hold.released_at = clock.now()
            hold.save(update_fields=["released_at"])
            audit.record(audit.actor_of(actor), "rights.hold.release", hold.subject_id, [],
                         f"hold:{hold.pk}")
    return hold
