"""Giving effect to the right asked for: the access export, a correction, erasure, objection.

Each step runs only on a verified request in progress of its kind, and hands the work to the
engine that owns it: the rights engine exports and erases, the apps' correctors (registered in
their ``datamap.py``) correct, the policy engine and the apps' objection handlers stop a use.
The request keeps only what was done (field names, the job's id, the objected use), never the
values.
"""

from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url

from hostpact.core import audit, clock
from hostpact.core.mail import queue_mail
from hostpact.privacy import objections, registry, taxonomy
from hostpact.privacy.subject_requests.services.states import (
    DSR,
    IllegalTransition,
    RequestError,
    S,
    locked_row,
    move,
    require_in_progress,
    require_ours,
    require_staff,
    save,
)


def fulfil_access(dsr: DSR, staff) -> DSR:
    """Produce the person's export and mail them that it is ready.

    The file itself is not mailed: staff download it from the back office
    (``download_export``) and hand it over through the channel the person used.
    """
    actor = require_staff(staff)
    with transaction.atomic():
        dsr = locked_row(dsr)
        require_in_progress(dsr, DSR.Kind.ACCESS)
        require_ours(dsr)
        export = _build_export(dsr.subject_id)
        dsr.export_ready_at = clock.now()
        save(dsr, "export_ready_at")
        email = dsr.user.email if dsr.user else None
        if email:
            # The control panel, where a subscriber lands after login: privacy names no app
            # above it, the project's setting does.
            panel = resolve_url(settings.LOGIN_REDIRECT_URL)
            queue_mail(dsr.subject_id, email, "Your copy of your hostpact data is ready",
                       f"Hello,\n\nthe copy of the personal data hostpact holds about you, "
                       f"which you asked for (request {dsr.reference}), is ready. Our support "
                       "staff will give it to you as agreed when you contacted us; we do not "
                       "send it by email.\n\nYou can also download it yourself at any time "
                       f"from {settings.SITE_URL}{panel} .\n", category="support")
        audit.record(actor, "requests.export.ready", dsr.subject_id,
                     _export_fields(export), dsr.reference)
    return dsr


def download_export(dsr: DSR, staff) -> dict:
    """Return the export for staff to hand over; each download is an audited read."""
    actor = require_staff(staff)
    if dsr.kind != DSR.Kind.ACCESS or not dsr.export_ready_at:
        raise IllegalTransition(f"{dsr.reference} has no export ready.")
    export = _build_export(dsr.subject_id)
    audit.record(actor, "requests.export.download", dsr.subject_id,
                 _export_fields(export), dsr.reference)
    return export


def _export_fields(export) -> list[str]:
    """Names of what the export holds (its sections), for the audit event: never values."""
    if not isinstance(export, dict):
        return []
    sections = export.get("sections")
    return sorted(sections) if isinstance(sections, dict) else sorted(export)


def _build_export(subject_id) -> dict:
    from hostpact.privacy.rights.export.queries import build_export

    return build_export(subject_id)


def corrects(corrector: registry.Corrector, name: str) -> bool:
    """Return True if ``name`` is a field of the corrector's model that it corrects."""
    return corrector.covers(name) and name in registry.model_fields(corrector.model)


def corrector_of(changes: dict) -> registry.Corrector:
    """Return the staff corrector that corrects every field named in ``changes``.

    With one staff corrector that one; with several, the one whose fields cover the changes.
    Raise ``RequestError`` when none or more than one does.
    """
    found = registry.staff_correctors()
    if len(found) > 1:
        found = [c for c in found if all(corrects(c, k) for k in changes)]
    if len(found) != 1:
        raise RequestError("No single correction form covers these fields.")
    return found[0]


def apply_correction(dsr: DSR, staff, changes: dict,
                     corrector: registry.Corrector | None = None) -> list[str]:
    """Correct the person's data through the app's registered corrector; return the changed
    fields.

    ``changes`` holds only the fields staff changed, cleaned by the corrector's form. A value
    the corrector refuses (``CorrectionRefused``) is a ``RequestError`` on the same field.
    """
    actor = require_staff(staff)
    with transaction.atomic():
        dsr = locked_row(dsr)
        require_in_progress(dsr, DSR.Kind.CORRECTION)
        require_ours(dsr)
        if dsr.user is None:
            raise RequestError("The subscriber's account no longer exists.")
        corrector = corrector or corrector_of(changes)
        try:
            changed = list(corrector.service(dsr.subject_id, changes, actor))
        except registry.CorrectionRefused as exc:
            raise RequestError(str(exc), exc.field or "__all__") from None
        if changed:
            dsr.corrected_fields = sorted(set(dsr.corrected_fields) | set(changed))
            save(dsr, "corrected_fields")
        audit.record(actor, "requests.correct", dsr.subject_id, changed, dsr.reference)
    return changed


def fulfil_erasure(dsr: DSR, staff) -> DSR:
    """Erase the person through the rights engine; close the request when it has finished.

    A legal hold pauses the engine: the request then stays in progress with the job's id, and
    running this again resumes the same job (the engine is idempotent). While a registered
    precondition answers blockers (the person's active domains, say) nothing begins: the
    ``RequestError`` lists each, for staff to tell the person what to settle first.
    """
    actor = require_staff(staff)
    from hostpact.privacy.rights.erasure.services import erase_subject
    from hostpact.privacy.rights.models import ErasureJob

    with transaction.atomic():
        dsr = locked_row(dsr)
        require_in_progress(dsr, DSR.Kind.ERASURE)
        require_ours(dsr)
        started = ErasureJob.objects.filter(subject_id=dsr.subject_id).exists()
        blockers = [] if started else registry.erasure_blockers(dsr.user)
    if blockers:
        raise RequestError("The person must first settle: "
                           + "; ".join(b.text for b in blockers))

    # Outside our transaction: the engine commits step by step so it can resume.
    job = erase_subject(dsr.subject_id, actor=actor, reason=ErasureJob.Reason.SUPPORT)
    done = job.state == ErasureJob.State.DONE
    with transaction.atomic():
        dsr = locked_row(dsr)
        dsr.erasure_ref = f"erasure:{job.pk}"
        fields = ["erasure_ref"]
        if done:
            move(dsr, S.COMPLETED)
            dsr.closed_at = clock.now()
            fields += ["status", "closed_at"]
        # The notes went with the subject's keys: nothing encrypted is written any more.
        save(dsr, *fields)
        audit.record(actor, "requests.erase" if done else "requests.erase.paused",
                     dsr.subject_id, [], dsr.reference)
        if done:
            audit.record(actor, "requests.complete", dsr.subject_id, [], dsr.reference)
    return dsr


def fulfil_objection(dsr: DSR, staff, use: str, note: str = "") -> DSR:
    """Record the objected data use as an opt-out, then close the request."""
    actor = require_staff(staff)
    use = (use or "").strip()
    try:
        taxonomy.check("data_use", use)
    except ValueError:
        raise RequestError("Choose a data use the person objects to.", "use") from None
    with transaction.atomic():
        dsr = locked_row(dsr)
        require_in_progress(dsr, DSR.Kind.OBJECTION)
        recorded = _record_opt_out(dsr, use, actor)
        # The apps' own switches of the use (a mail list's subscription) stop it too.
        recorded = bool(objections.handle_objection(dsr.subject_id, use, actor)) or recorded
        dsr.objected_use = use
        dsr.outcome_note = note.strip() or (
            "Recorded as an opt-out of this use." if recorded else
            "Objection recorded on this request; the use is to stop for this person.")
        move(dsr, S.COMPLETED)
        dsr.closed_at = clock.now()
        save(dsr, "objected_use", "outcome_note", "status", "closed_at")
        audit.record(actor, "requests.object", dsr.subject_id, ["objected_use", "outcome_note"],
                     dsr.reference)
        audit.record(actor, "requests.complete", dsr.subject_id, [], dsr.reference)
    return dsr


def _record_opt_out(dsr: DSR, use: str, actor: str) -> bool:
    """Record the objection as the policy engine's opt-out when it is one of its switches."""
    from hostpact.privacy.policy import services as policy

    # The policy engine's switches cover the optional uses its versions added; any other
    # objection stays recorded on the request for staff to act on.
    if use not in {e["use"] for e in policy.optional_uses()}:
        return False
    policy.set_use(dsr.subject_id, use, on=False, actor=actor)
    return True
