"""What we send about a ticket: the acknowledgement of a new one, and staff's answers.

Both go through the outbox (category ``support``) with the threading headers: a Message-ID we
choose (recorded on an outgoing ``TicketMessage``, so a reply quoting it threads back),
``In-Reply-To`` and ``References`` of the message answered, and ``Reply-To`` with the ticket's
signed token. The acknowledgement is an automatic answer (RFC 3834): it says so in
``Auto-Submitted: auto-replied`` and names us in ``X-Loop``, and a sender gets at most one an
hour, so two robots answering each other cannot loop through us.
"""

from django.conf import settings

from hostpact.core import clock, ratelimit
from hostpact.core.mail import queue_mail
from hostpact.support import threading
from hostpact.support.models import Ticket, TicketMessage

ACK_SCOPE = "support-ack"
ACK_WINDOW = 3600
SYSTEM = "system:support"


def from_address(ticket: Ticket) -> str:
    return f"hostpact {ticket.get_queue_display().lower()} <{ticket.queue}@{settings.MAIL_DOMAIN}>"


def loop_marker() -> str:
    return f"support@{settings.MAIL_DOMAIN}"


def _threading_headers(ticket: Ticket, parent: TicketMessage | None, message_id: str) -> dict:
    headers = {"Message-ID": message_id, "Reply-To": threading.reply_to(ticket),
               "X-Loop": loop_marker()}
    if parent is not None and parent.message_id:
        parent_refs = (parent.references or "").split()
        headers["In-Reply-To"] = parent.message_id
        headers["References"] = " ".join(threading.references_after(parent_refs,
                                                                    parent.message_id))
    return headers


def _record(ticket: Ticket, *, to: str, body: str, message_id: str, headers: dict,
            actor: str, auto: bool) -> TicketMessage:
    return TicketMessage.objects.create(
        ticket=ticket, direction=TicketMessage.Direction.OUT, inquirer_id=ticket.inquirer_id,
        from_addr=f"{ticket.queue}@{settings.MAIL_DOMAIN}", return_address=to, body=body,
        message_id=message_id, message_id_index=threading.index(message_id),
        in_reply_to=headers.get("In-Reply-To"), references=headers.get("References"),
        at=clock.now(), actor=actor, auto_submitted=auto)


def acknowledge(ticket: Ticket, first: TicketMessage) -> TicketMessage | None:
    """Queue the acknowledgement of a new ticket to its return address; None when the sender
    had one in the past hour (mail loops) or there is no address to answer."""
    to = first.return_address
    if not to:
        return None
    if ratelimit.hit(ACK_SCOPE, to.strip().lower(), ACK_WINDOW) > 1:
        return None
    message_id = threading.new_message_id(ticket.pk)
    headers = {**_threading_headers(ticket, first, message_id), "Auto-Submitted": "auto-replied"}
    body = (f"Hello,\n\nwe received your message and opened ticket {ticket.reference} in our "
            f"{ticket.get_queue_display().lower()} queue. We answer at this address; to add to "
            f"the ticket, reply to this message.\n\nThis is an automatic acknowledgement.\n")
    queue_mail(ticket.subject_id, to, threading.answer_subject(ticket.subject_line or "",
                                                               ticket.reference),
               body, "support", headers=headers, from_addr=from_address(ticket))
    return _record(ticket, to=to, body=body, message_id=message_id, headers=headers,
                   actor=SYSTEM, auto=True)


def send_answer(ticket: Ticket, parent: TicketMessage, body: str, actor: str) -> TicketMessage:
    """Queue staff's answer to the return address of ``parent`` (the last message received),
    threaded under it; return the outgoing message recorded."""
    message_id = threading.new_message_id(ticket.pk)
    headers = _threading_headers(ticket, parent, message_id)
    queue_mail(ticket.subject_id, parent.return_address,
               threading.answer_subject(ticket.subject_line or "", ticket.reference),
               body, "support", headers=headers, from_addr=from_address(ticket))
    return _record(ticket, to=parent.return_address, body=body, message_id=message_id,
                   headers=headers, actor=actor, auto=False)
