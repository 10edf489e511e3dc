"""Requests through support: record, verify the person, work and close, every step audited.

A person who writes, calls or chats has the same rights as one who clicks in the panel, but
only once we know it is them: a one-time code sent to the email or phone already on file, and
the staff member's attestation. Until both are done nothing is exported, corrected, erased or
recorded for them (``NotVerified``). The life cycle is a small state machine; a move it does
not allow raises ``IllegalTransition`` with both states named.
"""

import logging
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from hostpact.core import audit, clock, crypto
from hostpact.core.mail import queue_mail
from hostpact.privacy import taxonomy
from hostpact.privacy.requests.models import (
    CODE_LIFE,
    MAX_CODE_TRIES,
    REMINDER_DAYS,
    DataSubjectRequest,
)

log = logging.getLogger(__name__)
DSR = DataSubjectRequest
S = DSR.Status
WORKING_ROLES = ("support", "compliance")
CODE_SALT = "hostpact.privacy.requests.code"

TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.IDENTITY_UNVERIFIED, S.DENIED}),
    # Resending a code keeps the request where it is.
    S.IDENTITY_UNVERIFIED: frozenset({S.IDENTITY_UNVERIFIED, S.VERIFIED, S.DENIED}),
    S.VERIFIED: frozenset({S.IN_PROGRESS, S.DENIED}),
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.DENIED}),
    S.COMPLETED: frozenset(),
    S.DENIED: frozenset(),
}


# --- errors --------------------------------------------------------------------------------

class RequestError(Exception):
    """A request action refused; ``errors`` maps a form field (or ``__all__``) to messages."""

    def __init__(self, message: str, field: str = "__all__"):
        super().__init__(message)
        self.errors = {field: [message]}


class IllegalTransition(RequestError):
    """The request's state does not allow this step."""


class NotVerified(IllegalTransition):
    """The person's identity is not verified yet: nothing may happen for them."""


class RequestLocked(RequestError):
    """Too many wrong codes: the request is locked and can only be denied."""


class CodeExpired(RequestError):
    """The one-time code is older than its life; send a new one."""


class WrongCode(RequestError):
    """The code does not match; ``tries_left`` more may be made."""

    def __init__(self, tries_left: int):
        super().__init__(f"The code is not right; {tries_left} more tries before the request "
                         "locks.", "code")
        self.tries_left = tries_left


# --- helpers -------------------------------------------------------------------------------

def may_work(user) -> bool:
    """True if ``user`` may handle requests: superusers and the support and compliance roles."""
    from hostpact.privacy import roles

    if user is None or not getattr(user, "is_active", False) or not user.is_staff:
        return False
    return user.is_superuser or bool(set(roles.role_names(user)) & set(WORKING_ROLES))


def _require_staff(staff) -> str:
    if not may_work(staff):
        raise PermissionError("only support, compliance or a superuser may handle requests")
    return audit.actor_of(staff)


def due_date(received_at: datetime) -> date:
    """The answer is due ``settings.DSR_DUE_DAYS`` calendar days (default 30) after receipt."""
    days = int(getattr(settings, "DSR_DUE_DAYS", 30))
    return timezone.localtime(received_at).date() + timedelta(days=days)


def business_days_after(start: date, days: int, country: str = "IN",
                        subdiv: str | None = None) -> date:
    """The date ``days`` working days after ``start``, skipping weekends and public holidays.

    For resellers whose contracts count business days; India's national holidays by default,
    a state's with ``subdiv`` (for example "MH").
    """
    import holidays

    calendar = holidays.country_holidays(country, subdiv=subdiv,
                                         years=range(start.year, start.year + 2 + days // 200))
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in calendar:
            left -= 1
    return current


def _state(status: str) -> str:
    return str(S(status).label).lower()


def _code_hash(pk: int, code: str) -> str:
    # Keyed by SECRET_KEY and bound to the request, so a leaked table gives nothing to replay.
    return salted_hmac(CODE_SALT, f"{pk}:{code}", algorithm="sha256").hexdigest()


def _locked_row(dsr: DSR) -> DSR:
    return DSR.objects.select_for_update(of=("self",)).select_related("user").get(pk=dsr.pk)


def _move(dsr: DSR, to: str) -> None:
    if to not in TRANSITIONS[dsr.status]:
        raise IllegalTransition(
            f"{dsr.reference} is {_state(dsr.status)}: it cannot go to {_state(to)}.")
    dsr.status = to


def _save(dsr: DSR, *fields: str) -> None:
    # Always by field: after an erasure the subject's key is gone, and saving a row whose
    # encrypted fields were not asked to change must not try to re-encrypt them.
    dsr.save(update_fields=list(fields))


def _require_in_progress(dsr: DSR, kind: str | None = None) -> None:
    if dsr.status in (S.RECEIVED, S.IDENTITY_UNVERIFIED):
        raise NotVerified(f"{dsr.reference}: the person's identity is not verified yet; nothing "
                          "can be done for them before it is.")
    if dsr.status != S.IN_PROGRESS:
        raise IllegalTransition(f"{dsr.reference} is {_state(dsr.status)}; this step needs it "
                                "in progress.")
    if kind and dsr.kind != kind:
        raise IllegalTransition(f"{dsr.reference} is a request for {dsr.kind}, not {kind}.")


def find_subscriber(customer: str):
    """The subscriber with this customer ID (HP-000123) or exact email address, or None."""
    from django.contrib.auth import get_user_model

    from hostpact.core.customer_ids import pk_from_customer_id

    User = get_user_model()
    term = (customer or "").strip()
    if not term:
        return None
    pk = pk_from_customer_id(term)
    users = User.objects.filter(is_staff=False)
    if pk is not None:
        return users.filter(pk=pk).first()
    if "@" in term:
        return users.filter(email_index=crypto.blind_index("email", term)).first()
    return None


# --- recording -----------------------------------------------------------------------------

@transaction.atomic
def record_request(staff, *, customer: str, channel: str, kind: str, notes: str = "",
                   received_at: datetime | None = None, assign_to=None) -> DSR:
    """Record a request a person made by ``channel``; its due date follows from receipt."""
    actor = _require_staff(staff)
    if channel not in DSR.Channel.values:
        raise RequestError("Choose how the request came in: email, phone, chat or letter.",
                           "channel")
    if kind not in DSR.Kind.values:
        raise RequestError("Choose the right asked for: access, correction, erasure or "
                           "objection.", "kind")
    now = clock.now()
    received_at = received_at or now
    if received_at > now:
        raise RequestError("The request cannot have been received in the future.",
                           "received_at")
    user = find_subscriber(customer)
    if user is None:
        raise RequestError("No subscriber has this customer ID or email address.", "customer")
    dsr = DSR.objects.create(
        subject_id=user.subject_id, user=user, channel=channel, kind=kind,
        notes=notes.strip() or None, received_at=received_at, due_on=due_date(received_at),
        recorded_by=actor, assigned_to=assign_to or staff,
    )
    audit.record(actor, "requests.record", user.subject_id, ["notes"] if notes.strip() else [],
                 dsr.reference)
    log.info("request %s recorded (%s, %s)", dsr.pk, kind, channel)
    return dsr


# --- identity verification -----------------------------------------------------------------

def send_code(dsr: DSR, staff, via: str) -> DSR:
    """Send a fresh 6-digit code to the email or phone on file; it lives ten minutes.

    Only its keyed hash is stored. A resend replaces the previous code but keeps the count of
    wrong tries, so resending cannot reset the lock.
    """
    actor = _require_staff(staff)
    if via not in DSR.CodeVia.values:
        raise RequestError("Send the code by email or by phone.", "via")
    with transaction.atomic():
        dsr = _locked_row(dsr)
        if dsr.is_locked:
            raise RequestLocked(f"{dsr.reference} is locked after {MAX_CODE_TRIES} wrong codes.")
        _move(dsr, S.IDENTITY_UNVERIFIED)
        user = dsr.user
        if via == DSR.CodeVia.EMAIL:
            to = user.email if user else None
            if not to:
                raise RequestError("There is no email address on file.", "via")
        else:
            profile = getattr(user, "profile", None) if user else None
            to = profile.phone if profile else None
            if not to:
                raise RequestError("There is no phone number on file.", "via")
            from hostpact.privacy.requests.sms import sms_gateway

            gateway = sms_gateway()
            if settings.PRODUCTION and gateway.fake:
                raise RequestError("No SMS gateway is configured; send the code by email.",
                                   "via")
        code = f"{secrets.randbelow(10**6):06d}"
        now = clock.now()
        dsr.code_via, dsr.code_hash = via, _code_hash(dsr.pk, code)
        dsr.code_sent_at, dsr.code_expires_at = now, now + CODE_LIFE
        dsr.code_verified_at = None
        _save(dsr, "status", "code_via", "code_hash", "code_sent_at", "code_expires_at",
              "code_verified_at")
        minutes = int(CODE_LIFE.total_seconds() // 60)
        if via == DSR.CodeVia.EMAIL:
            queue_mail(dsr.subject_id, to, "Your hostpact verification code",
                       f"Hello,\n\nyou asked hostpact support about your personal data "
                       f"(request {dsr.reference}). To prove it is you, read this code to our "
                       f"support staff within {minutes} minutes:\n\n    {code}\n\n"
                       "If you did not contact us, ignore this message and tell us.\n",
                       category="support")
        else:
            text = (f"hostpact: your code for request {dsr.reference} is {code}. "
                    f"Valid {minutes} minutes.")
            subject_id = dsr.subject_id
            transaction.on_commit(lambda: gateway.send(subject_id, to, text))
        audit.record(actor, "requests.code.send", dsr.subject_id,
                     ["email" if via == DSR.CodeVia.EMAIL else "phone"], dsr.reference)
    return dsr


def check_code(dsr: DSR, staff, code: str) -> DSR:
    """Check the code the person read out; three wrong ones lock the request for good."""
    actor = _require_staff(staff)
    code = (code or "").strip().replace(" ", "")
    try:
        with transaction.atomic():
            dsr = _locked_row(dsr)
            if dsr.is_locked:
                raise RequestLocked(f"{dsr.reference} is locked after {MAX_CODE_TRIES} wrong "
                                    "codes; it can only be denied.")
            if dsr.status != S.IDENTITY_UNVERIFIED or not dsr.code_hash:
                raise IllegalTransition(f"{dsr.reference} is {_state(dsr.status)}: there is "
                                        "no code waiting to be checked.")
            if dsr.code_expired():
                raise CodeExpired("The code has expired; send a new one.", "code")
            if not (len(code) == 6 and code.isdigit()
                    and constant_time_compare(_code_hash(dsr.pk, code), dsr.code_hash)):
                raise WrongCode(MAX_CODE_TRIES - dsr.code_tries - 1)
            dsr.code_verified_at, dsr.code_hash = clock.now(), ""  # one-time: spent
            _save(dsr, "code_verified_at", "code_hash")
            audit.record(actor, "requests.code.verify", dsr.subject_id, [], dsr.reference)
            _verify_if_ready(dsr, actor)
            return dsr
    except WrongCode:
        # Written after the refusal rolled back, on purpose: a refused attempt must still
        # count, or the three-try limit could be guessed around (see DESIGN, "Writes that
        # survive a refusal").
        tries = _count_wrong_try(dsr.pk, actor)
        if tries >= MAX_CODE_TRIES:
            raise RequestLocked(f"{dsr.reference} is now locked after {MAX_CODE_TRIES} wrong "
                                "codes; it can only be denied.", "code") from None
        raise WrongCode(MAX_CODE_TRIES - tries) from None


def _count_wrong_try(pk: int, actor: str) -> int:
    with transaction.atomic():
        dsr = DSR.objects.select_for_update().get(pk=pk)
        dsr.code_tries += 1
        fields = ["code_tries"]
        if dsr.code_tries >= MAX_CODE_TRIES and not dsr.locked_at:
            dsr.locked_at, dsr.code_hash = clock.now(), ""
            fields += ["locked_at", "code_hash"]
        _save(dsr, *fields)
        audit.record(actor, "requests.code.wrong", dsr.subject_id, [], dsr.reference)
        if dsr.locked_at and "locked_at" in fields:
            audit.record(actor, "requests.locked", dsr.subject_id, [], dsr.reference)
            log.warning("request %s locked after %d wrong codes", pk, dsr.code_tries)
        return dsr.code_tries


@transaction.atomic
def attest_identity(dsr: DSR, staff, confirmed: bool) -> DSR:
    """The staff member attests they are satisfied the person is who they say they are."""
    actor = _require_staff(staff)
    if not confirmed:
        raise RequestError("Tick the box to attest that you checked the person's identity.",
                           "confirmed")
    dsr = _locked_row(dsr)
    if dsr.is_locked:
        raise RequestLocked(f"{dsr.reference} is locked; it can only be denied.")
    if dsr.status not in (S.RECEIVED, S.IDENTITY_UNVERIFIED):
        raise IllegalTransition(f"{dsr.reference} is {_state(dsr.status)}: there is nothing "
                                "left to attest.")
    dsr.attested_by, dsr.attested_at = staff, clock.now()
    _save(dsr, "attested_by", "attested_at")
    audit.record(actor, "requests.attest", dsr.subject_id, [], dsr.reference)
    _verify_if_ready(dsr, actor)
    return dsr


def _verify_if_ready(dsr: DSR, actor: str) -> None:
    if dsr.code_verified_at and dsr.attested_at and dsr.status == S.IDENTITY_UNVERIFIED:
        _move(dsr, S.VERIFIED)
        dsr.verified_at = clock.now()
        _save(dsr, "status", "verified_at")
        audit.record(actor, "requests.verified", dsr.subject_id, [], dsr.reference)


# --- working the request -------------------------------------------------------------------

@transaction.atomic
def start_request(dsr: DSR, staff) -> DSR:
    """Take a verified request into work (it becomes the staff member's if unassigned)."""
    actor = _require_staff(staff)
    dsr = _locked_row(dsr)
    if dsr.status in (S.RECEIVED, S.IDENTITY_UNVERIFIED):
        raise NotVerified(f"{dsr.reference}: the person's identity is not verified yet.")
    _move(dsr, S.IN_PROGRESS)
    dsr.started_at = clock.now()
    dsr.assigned_to = dsr.assigned_to or staff
    _save(dsr, "status", "started_at", "assigned_to")
    audit.record(actor, "requests.start", dsr.subject_id, [], dsr.reference)
    return dsr


@transaction.atomic
def assign_request(dsr: DSR, staff, assignee) -> DSR:
    """Give an open request to another member of support or compliance."""
    actor = _require_staff(staff)
    if not may_work(assignee):
        raise RequestError("Requests can be given only to support or compliance staff.",
                           "assigned_to")
    dsr = _locked_row(dsr)
    if not dsr.is_open:
        raise IllegalTransition(f"{dsr.reference} is closed.")
    dsr.assigned_to = assignee
    _save(dsr, "assigned_to")
    audit.record(actor, "requests.assign", dsr.subject_id, [], dsr.reference)
    return dsr


def fulfil_access(dsr: DSR, staff) -> DSR:
    """Produce the person's export and mail them that it is ready.

    The file itself is not mailed: staff download it from the back office
    (``download_export``) and hand it over through the channel the person used.
    """
    actor = _require_staff(staff)
    with transaction.atomic():
        dsr = _locked_row(dsr)
        _require_in_progress(dsr, DSR.Kind.ACCESS)
        export = _build_export(dsr.subject_id)
        dsr.export_ready_at = clock.now()
        _save(dsr, "export_ready_at")
        email = dsr.user.email if dsr.user else None
        if email:
            queue_mail(dsr.subject_id, email, "Your copy of your hostpact data is ready",
                       f"Hello,\n\nthe copy of the personal data hostpact holds about you, "
                       f"which you asked for (request {dsr.reference}), is ready. Our support "
                       "staff will give it to you as agreed when you contacted us; we do not "
                       "send it by email.\n\nYou can also download it yourself at any time "
                       f"from {settings.SITE_URL}/panel/ .\n", category="support")
        audit.record(actor, "requests.export.ready", dsr.subject_id,
                     _export_fields(export), dsr.reference)
    return dsr


def download_export(dsr: DSR, staff) -> dict:
    """The export for staff to hand over; each download is an audited read."""
    actor = _require_staff(staff)
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
    from hostpact.privacy.rights.export import build_export

    return build_export(subject_id)


def apply_correction(dsr: DSR, staff, changes: dict) -> list[str]:
    """Correct the person's profile through the accounts service; return the changed fields."""
    from hostpact.accounts.services import UnderMinimumAge, update_profile

    actor = _require_staff(staff)
    with transaction.atomic():
        dsr = _locked_row(dsr)
        _require_in_progress(dsr, DSR.Kind.CORRECTION)
        if dsr.user is None:
            raise RequestError("The subscriber's account no longer exists.")
        try:
            changed = update_profile(dsr.user, changes, actor)
        except UnderMinimumAge:
            raise RequestError("The date of birth cannot be set to an age under 13.",
                               "date_of_birth") from None
        except ValueError as exc:
            raise RequestError(str(exc)) from None
        if changed:
            dsr.corrected_fields = sorted(set(dsr.corrected_fields) | set(changed))
            _save(dsr, "corrected_fields")
        audit.record(actor, "requests.correct", dsr.subject_id, changed, dsr.reference)
    return changed


def fulfil_erasure(dsr: DSR, staff) -> DSR:
    """Erase the person through the rights engine; close the request when it has finished.

    A legal hold pauses the engine: the request then stays in progress with the job's id, and
    running this again resumes the same job (the engine is idempotent).
    """
    actor = _require_staff(staff)
    with transaction.atomic():
        dsr = _locked_row(dsr)
        _require_in_progress(dsr, DSR.Kind.ERASURE)
    from hostpact.privacy.rights.erasure import erase_subject
    from hostpact.privacy.rights.models import ErasureJob

    # Outside our transaction: the engine commits step by step so it can resume.
    job = erase_subject(dsr.subject_id, actor=actor, reason=ErasureJob.Reason.SUPPORT)
    done = job.state == ErasureJob.State.DONE
    with transaction.atomic():
        dsr = _locked_row(dsr)
        dsr.erasure_ref = f"erasure:{job.pk}"
        fields = ["erasure_ref"]
        if done:
            _move(dsr, S.COMPLETED)
            dsr.closed_at = clock.now()
            fields += ["status", "closed_at"]
        # The notes went with the subject's keys: nothing encrypted is written any more.
        _save(dsr, *fields)
        audit.record(actor, "requests.erase" if done else "requests.erase.paused",
                     dsr.subject_id, [], dsr.reference)
        if done:
            audit.record(actor, "requests.complete", dsr.subject_id, [], dsr.reference)
    return dsr


def fulfil_objection(dsr: DSR, staff, use: str, note: str = "") -> DSR:
    """Record the objected data use as an opt-out, then close the request."""
    actor = _require_staff(staff)
    use = (use or "").strip()
    try:
        taxonomy.check("data_use", use)
    except ValueError:
        raise RequestError("Choose a data use the person objects to.", "use") from None
    with transaction.atomic():
        dsr = _locked_row(dsr)
        _require_in_progress(dsr, DSR.Kind.OBJECTION)
        recorded = _record_opt_out(dsr, use, actor)
        dsr.objected_use = use
        dsr.outcome_note = note.strip() or (
            "Recorded as an opt-out of this use." if recorded else
            "Objection recorded on this request; the use is to stop for this person.")
        _move(dsr, S.COMPLETED)
        dsr.closed_at = clock.now()
        _save(dsr, "objected_use", "outcome_note", "status", "closed_at")
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


@transaction.atomic
def complete_request(dsr: DSR, staff, note: str = "") -> DSR:
    """Close an in-progress request once its right was given effect."""
    actor = _require_staff(staff)
    dsr = _locked_row(dsr)
    _require_in_progress(dsr)
    note = (note or "").strip()
    if dsr.kind == DSR.Kind.ACCESS and not dsr.export_ready_at:
        raise IllegalTransition("Produce the export before completing an access request.")
    if dsr.kind == DSR.Kind.CORRECTION and not dsr.corrected_fields and not note:
        raise RequestError("Nothing was corrected: say why in the note.", "note")
    if dsr.kind == DSR.Kind.ERASURE and not dsr.erasure_ref:
        raise IllegalTransition("Run the erasure before completing an erasure request.")
    if dsr.kind == DSR.Kind.OBJECTION and not dsr.objected_use:
        raise IllegalTransition("Record the objected use before completing.")
    _move(dsr, S.COMPLETED)
    dsr.closed_at = clock.now()
    fields = ["status", "closed_at"]
    if note:
        dsr.outcome_note = note
        fields.append("outcome_note")
    _save(dsr, *fields)
    audit.record(actor, "requests.complete", dsr.subject_id, ["outcome_note"] if note else [],
                 dsr.reference)
    return dsr


@transaction.atomic
def deny_request(dsr: DSR, staff, reason: str) -> DSR:
    """Refuse an open request, with the reason (identity not proved, manifestly unfounded…)."""
    actor = _require_staff(staff)
    reason = (reason or "").strip()
    if not reason:
        raise RequestError("Give the reason for denying the request.", "reason")
    dsr = _locked_row(dsr)
    _move(dsr, S.DENIED)
    dsr.closed_at = clock.now()
    dsr.outcome_note = reason
    _save(dsr, "status", "closed_at", "outcome_note")
    audit.record(actor, "requests.deny", dsr.subject_id, ["outcome_note"], dsr.reference)
    return dsr


# --- due dates -----------------------------------------------------------------------------

def overdue(today: date | None = None):
    """Open requests past their due date, the most overdue first."""
    today = today or clock.today()
    return (DSR.objects.filter(due_on__lt=today)
            .exclude(status__in=[S.COMPLETED, S.DENIED]).order_by("due_on", "id"))


def send_due_reminders(today: date | None = None) -> int:
    """Mail each assignee once per threshold (7 days, then 1 day before due); return how many.

    A request first seen inside both thresholds gets one mail, which counts for both.
    """
    today = today or clock.today()
    horizon = today + timedelta(days=max(REMINDER_DAYS))
    candidates = (DSR.objects.filter(due_on__lte=horizon, assigned_to__isnull=False)
                  .exclude(status__in=[S.COMPLETED, S.DENIED]).values_list("pk", flat=True))
    sent = 0
    for pk in candidates:
        with transaction.atomic():
            dsr = (DSR.objects.select_for_update(of=("self",)).select_related("assigned_to")
                   .get(pk=pk))
            days_left = (dsr.due_on - today).days
            reached = [t for t in REMINDER_DAYS
                       if days_left <= t and t not in dsr.reminders_sent]
            staff = dsr.assigned_to
            if not reached or staff is None or not staff.email:
                continue
            when = (f"is {-days_left} days overdue" if days_left < 0 else
                    "is due today" if days_left == 0 else f"is due in {days_left} days")
            queue_mail(staff.subject_id, staff.email, f"Reminder: {dsr.reference} {when}",
                       f"Hello,\n\nthe data-subject request {dsr.reference} ({dsr.kind}) "
                       f"assigned to you {when}, on {dsr.due_on:%d %B %Y}.\n\n"
                       f"{settings.SITE_URL}/admin/requests/datasubjectrequest/{dsr.pk}/"
                       "process/\n", category="transactional")
            dsr.reminders_sent = sorted(set(dsr.reminders_sent) | set(reached), reverse=True)
            _save(dsr, "reminders_sent")
            audit.record("system", "requests.remind", dsr.subject_id, [], dsr.reference)
            sent += 1
    return sent
