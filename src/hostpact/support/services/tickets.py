"""Opening tickets, adding what arrives to them, staff's answers, closing and reopening.

Every step is one audited transaction. A new inquiry makes a new inquirer subject (the
ticket's key owner). The ticket is linked to an account only when the address answers go to
is that account's verified login email, so forging a From header cannot attach a stranger's
ticket (or our answers) to someone's account. Closing a ticket schedules its key to be shredded
``SUPPORT_RETENTION_DAYS`` later (a ``KeyExpiry`` the retention run honours); reopening calls
that off.
"""

import base64
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from hostpact.core import audit, clock, crypto
from hostpact.core.models import DataKey
from hostpact.core.subjects import create_subject
from hostpact.privacy import roles
from hostpact.privacy.rights.guard import SubjectErased, lock_subject_for_write
from hostpact.privacy.rights.models import KeyExpiry
from hostpact.support import threading
from hostpact.support.models import SUPPORT, Attachment, Ticket, TicketMessage
from hostpact.support.services import outgoing
from hostpact.support.services.requests import suggest_kind

log = logging.getLogger(__name__)
MAX_BODY_CHARS = 100_000
MAX_SUBJECT_CHARS = 300
MAX_ATTACHMENTS = 20


class SupportError(Exception):
    """A support step refused; ``field`` names the form field at fault. Nothing changed."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass
class Incoming:
    """One message received, by mail or the contact form, as the services store it."""

    return_address: str | None
    from_addr: str | None = None
    name: str = ""
    subject_line: str = ""
    body: str = ""
    message_id: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)
    auto_submitted: bool = False


def may_handle(user, ticket_or_queue) -> bool:
    """Return True if ``user`` is staff of the role of the ticket's queue (or a superuser)."""
    queue = getattr(ticket_or_queue, "queue", ticket_or_queue)
    return roles.has_role(user, queue)


def _require(user, ticket: Ticket) -> str:
    if not may_handle(user, ticket):
        raise PermissionError(f"only {ticket.queue} staff may handle {ticket.reference}")
    return audit.actor_of(user)


def is_anonymised(ticket: Ticket) -> bool:
    """True once the ticket's key was shredded (retention or erasure): its contents are gone."""
    return DataKey.objects.filter(subject_id=ticket.inquirer_id, retention_class=SUPPORT,
                                  shredded_at__isnull=False).exists()


def verified_account(address: str | None):
    """The active subscriber of ours whose verified login email is ``address``, or None (our
    mailboxes are the platform's; a reseller's customers write to their reseller's)."""
    if not address:
        return None
    return get_user_model().objects.in_realm(None).filter(
        email_index=crypto.blind_index("email", address), is_staff=False, is_active=True,
        email_verified_at__isnull=False).first()


def _store(ticket: Ticket, incoming: Incoming) -> TicketMessage:
    """Store one received message on ``ticket``: body (cut to size), threading headers and
    the attachments within the limit; what was cut or dropped is noted for staff."""
    notes = []
    body = incoming.body or ""
    if len(body) > MAX_BODY_CHARS:
        body = body[:MAX_BODY_CHARS]
        notes.append(f"The text was longer than {MAX_BODY_CHARS:,} characters; the rest was "
                     "not kept.")
    message_id = threading.clean_message_id(incoming.message_id)
    if message_id is None:
        message_id = threading.record_message_id()
        notes.append("The message had no Message-ID; one was made for our records.")
    references = threading.clean_references(incoming.references)
    limit = settings.SUPPORT_ATTACHMENT_MAX_BYTES
    kept, dropped = [], []
    for name, content_type, data in incoming.attachments:
        if len(data) > limit or len(kept) >= MAX_ATTACHMENTS:
            dropped.append(f"{name[:80]} ({len(data):,} bytes)")
        else:
            kept.append((name[:200], (content_type or "application/octet-stream")[:100], data))
    if dropped:
        notes.append(f"Not kept (over the {limit:,}-byte limit per file or "
                     f"{MAX_ATTACHMENTS} files): " + ", ".join(dropped))
    message = TicketMessage.objects.create(
        ticket=ticket, direction=TicketMessage.Direction.IN, inquirer_id=ticket.inquirer_id,
        from_addr=incoming.from_addr or incoming.return_address,
        return_address=incoming.return_address, body=body, message_id=message_id,
        message_id_index=threading.index(message_id),
        in_reply_to=threading.clean_message_id(incoming.in_reply_to),
        references=" ".join(references) or None, at=clock.now(),
        auto_submitted=incoming.auto_submitted, note=" ".join(notes)[:300])
    for name, content_type, data in kept:
        Attachment.objects.create(ticket=ticket, message=message,
                                  inquirer_id=ticket.inquirer_id, filename=name,
                                  content_type=content_type, size=len(data),
                                  content=base64.b64encode(data).decode("ascii"))
    return message


def _link(ticket: Ticket, address: str | None) -> None:
    user = verified_account(address)
    if user is None:
        return
    try:
        lock_subject_for_write(user.subject_id)
    except SubjectErased:
        return  # an account being erased takes nothing new
    ticket.user, ticket.subject_id = user, user.subject_id


@transaction.atomic
def open_ticket(queue: str, incoming: Incoming, *, channel: str = Ticket.Channel.EMAIL,
                actor: str = "anonymous", acknowledge: bool = True) -> Ticket:
    """Open a ticket in ``queue`` with ``incoming`` as its first message, and acknowledge it
    to the return address; return it."""
    if queue not in Ticket.Queue.values:
        raise SupportError("Choose the support, abuse or compliance desk.", "queue")
    now = clock.now()
    inquirer = create_subject("inquirer")
    subject_line = (incoming.subject_line or "").strip()[:MAX_SUBJECT_CHARS]
    ticket = Ticket(queue=queue, channel=channel, inquirer=inquirer, subject=inquirer,
                    return_address=incoming.return_address, subject_line=subject_line,
                    sender_name=(incoming.name or "").strip()[:200],
                    thread_secret=threading.new_secret(), created_at=now, updated_at=now,
                    suggested_request=suggest_kind(f"{subject_line}\n{incoming.body or ''}"))
    if incoming.from_addr in (None, incoming.return_address):
        _link(ticket, incoming.return_address)
    ticket.save()
    first = _store(ticket, incoming)
    audit.record(actor, "support.ticket.open", ticket.subject_id,
                 ["return_address", "subject_line", "body"], ticket.reference)
    if acknowledge and not incoming.auto_submitted:
        outgoing.acknowledge(ticket, first)
    log.info("ticket %s opened in %s (%s)", ticket.pk, queue, channel)
    return ticket


@transaction.atomic
def add_message(ticket: Ticket, incoming: Incoming, *, actor: str = "anonymous") -> TicketMessage:
    """Thread a received message into ``ticket``. A reply from a person reopens a closed
    ticket; an automatic one (out of office) is kept for staff and changes nothing."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.user_id:
        lock_subject_for_write(ticket.subject_id)
    message = _store(ticket, incoming)
    fields = ["updated_at"]
    ticket.updated_at = message.at
    if not incoming.auto_submitted and ticket.status != Ticket.Status.OPEN:
        if ticket.status == Ticket.Status.CLOSED:
            _cancel_expiry(ticket)
            ticket.closed_at = None
            fields.append("closed_at")
        ticket.status = Ticket.Status.OPEN
        fields.append("status")
    ticket.save(update_fields=fields)
    audit.record(actor, "support.ticket.message", ticket.subject_id, ["body"],
                 ticket.reference)
    return message


def last_received(ticket: Ticket) -> TicketMessage | None:
    """The newest message from the inquirer that has an address to answer."""
    return (ticket.messages.filter(direction=TicketMessage.Direction.IN,
                                   auto_submitted=False)
            .exclude(return_address=None).order_by("-at", "-pk").first())


@transaction.atomic
def answer_ticket(ticket: Ticket, staff, body: str) -> TicketMessage:
    """Send staff's answer to the return address of the last message received, threaded
    under it (C19); the ticket becomes answered."""
    actor = _require(staff, ticket)
    body = (body or "").strip()
    if not body:
        raise SupportError("Write the answer.", "body")
    if len(body) > MAX_BODY_CHARS:
        raise SupportError(f"Keep the answer under {MAX_BODY_CHARS:,} characters.", "body")
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status == Ticket.Status.CLOSED:
        raise SupportError(f"{ticket.reference} is closed: reopen it to answer.")
    if is_anonymised(ticket):
        raise SupportError(f"{ticket.reference} was anonymised: there is no one to answer.")
    if ticket.user_id:
        lock_subject_for_write(ticket.subject_id)
    parent = last_received(ticket)
    if parent is None:
        raise SupportError(f"{ticket.reference} has no message with an address to answer.")
    sent = outgoing.send_answer(ticket, parent, body, actor)
    ticket.status, ticket.updated_at = Ticket.Status.ANSWERED, sent.at
    ticket.save(update_fields=["status", "updated_at"])
    audit.record(actor, "support.ticket.answer", ticket.subject_id, ["return_address", "body"],
                 ticket.reference)
    return sent


def _cancel_expiry(ticket: Ticket) -> None:
    KeyExpiry.objects.filter(subject_id=ticket.inquirer_id, retention_class=SUPPORT,
                             shredded_at__isnull=True).delete()


@transaction.atomic
def close_ticket(ticket: Ticket, staff) -> Ticket:
    """Close ``ticket``; its contents are kept ``SUPPORT_RETENTION_DAYS`` from now, then the
    retention run shreds its key."""
    actor = _require(staff, ticket)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status == Ticket.Status.CLOSED:
        return ticket
    now = clock.now()
    ticket.status, ticket.closed_at, ticket.updated_at = Ticket.Status.CLOSED, now, now
    ticket.save(update_fields=["status", "closed_at", "updated_at"])
    due = now + timedelta(days=settings.SUPPORT_RETENTION_DAYS)
    KeyExpiry.objects.update_or_create(subject_id=ticket.inquirer_id, retention_class=SUPPORT,
                                       defaults={"due_at": due, "shredded_at": None})
    audit.record(actor, "support.ticket.close", ticket.subject_id, [], ticket.reference)
    return ticket


@transaction.atomic
def reopen_ticket(ticket: Ticket, staff) -> Ticket:
    """Reopen a closed ticket (its contents no longer expire) unless it was anonymised."""
    actor = _require(staff, ticket)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status != Ticket.Status.CLOSED:
        return ticket
    if is_anonymised(ticket):
        raise SupportError(f"{ticket.reference} was anonymised and cannot be reopened.")
    _cancel_expiry(ticket)
    ticket.status, ticket.closed_at, ticket.updated_at = (Ticket.Status.OPEN, None,
                                                          clock.now())
    ticket.save(update_fields=["status", "closed_at", "updated_at"])
    audit.record(actor, "support.ticket.reopen", ticket.subject_id, [], ticket.reference)
    return ticket


def read_attachment(attachment: Attachment, staff) -> bytes:
    """Return an attachment's bytes for staff of its queue; the read is audited."""
    actor = _require(staff, attachment.ticket)
    if attachment.content is None:
        raise SupportError("This file was anonymised.")
    with transaction.atomic():
        audit.record(actor, "staff.read", attachment.ticket.subject_id, ["content"],
                     attachment.ticket.reference)
    return base64.b64decode(attachment.content)


def erase_tickets(ctx) -> None:
    """The erasure step: delete the subscriber's tickets with their messages and files, and
    shred each ticket's key, so no copy of them can be read again."""
    tickets = list(Ticket.objects.filter(subject_id=ctx.subject_id)
                   .values_list("pk", "inquirer_id"))
    if not tickets:
        return
    from hostpact.core.subjects import shred

    Ticket.objects.filter(pk__in=[pk for pk, _ in tickets]).delete()
    for _, inquirer_id in tickets:
        KeyExpiry.objects.filter(subject_id=inquirer_id, retention_class=SUPPORT).delete()
        shred(inquirer_id)
    ctx.add("support_tickets_deleted", len(tickets))
    ctx.fields.extend(["return_address", "subject_line", "sender_name", "body", "content"])
