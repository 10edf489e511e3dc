"""A request's life from the staff's side: recorded, taken into work, completed or denied.

These are the steps that open, hand over and close a request; proving who the person is lives
in ``verification`` and giving effect to the right in ``fulfilment``. Each step is one audited
transaction on the locked row.
"""

import logging
from datetime import datetime

from django.db import transaction

from hostpact.core import audit, clock, crypto
from hostpact.privacy.subject_requests.services.deadlines import due_date
from hostpact.privacy.subject_requests.services.states import (
    DSR,
    IllegalTransition,
    NotVerified,
    RequestError,
    S,
    locked_row,
    move,
    require_in_progress,
    require_staff,
    save,
)

log = logging.getLogger(__name__)


def find_subscriber(customer: str):
    """Return the subscriber with this customer ID (HP-000123) or exact email address, or
    None."""
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


@transaction.atomic
def record_request(staff, *, customer: str, channel: str, kind: str, notes: str = "",
                   received_at: datetime | None = None, assign_to=None) -> DSR:
    """Record a request a person made by ``channel``; its due date follows from receipt."""
    actor = require_staff(staff)
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


@transaction.atomic
def start_request(dsr: DSR, staff) -> DSR:
    """Take a verified request into work (it becomes the staff member's if unassigned)."""
    actor = require_staff(staff)
    dsr = locked_row(dsr)
    if dsr.status in (S.RECEIVED, S.IDENTITY_UNVERIFIED):
        raise NotVerified(f"{dsr.reference}: the person's identity is not verified yet.")
    move(dsr, S.IN_PROGRESS)
    dsr.started_at = clock.now()
    dsr.assigned_to = dsr.assigned_to or staff
    save(dsr, "status", "started_at", "assigned_to")
    audit.record(actor, "requests.start", dsr.subject_id, [], dsr.reference)
    return dsr


@transaction.atomic
def complete_request(dsr: DSR, staff, note: str = "") -> DSR:
    """Close an in-progress request once its right was given effect."""
    actor = require_staff(staff)
    dsr = locked_row(dsr)
    require_in_progress(dsr)
    note = (note or "").strip()
    if dsr.kind == DSR.Kind.ACCESS and not dsr.export_ready_at:
        raise IllegalTransition("Produce the export before completing an access request.")
    if dsr.kind == DSR.Kind.CORRECTION and not dsr.corrected_fields and not note:
        raise RequestError("Nothing was corrected: say why in the note.", "note")
    if dsr.kind == DSR.Kind.ERASURE and not dsr.erasure_ref:
        raise IllegalTransition("Run the erasure before completing an erasure request.")
    if dsr.kind == DSR.Kind.OBJECTION and not dsr.objected_use:
        raise IllegalTransition("Record the objected use before completing.")
    move(dsr, S.COMPLETED)
    dsr.closed_at = clock.now()
    fields = ["status", "closed_at"]
    if note:
        dsr.outcome_note = note
        fields.append("outcome_note")
    save(dsr, *fields)
    audit.record(actor, "requests.complete", dsr.subject_id, ["outcome_note"] if note else [],
                 dsr.reference)
    return dsr


@transaction.atomic
def deny_request(dsr: DSR, staff, reason: str) -> DSR:
    """Refuse an open request, with the reason (identity not proved, manifestly unfounded…)."""
    actor = require_staff(staff)
    reason = (reason or "").strip()
    if not reason:
        raise RequestError("Give the reason for denying the request.", "reason")
    dsr = locked_row(dsr)
    move(dsr, S.DENIED)
    dsr.closed_at = clock.now()
    dsr.outcome_note = reason
    save(dsr, "status", "closed_at", "outcome_note")
    audit.record(actor, "requests.deny", dsr.subject_id, ["outcome_note"], dsr.reference)
    return dsr
