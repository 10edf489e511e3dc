"""The support desk's mailboxes on the inbound SMTP server.

``support@``, ``abuse@`` and ``compliance@`` open a ticket in their queue; ``support+<token>@``
(the Reply-To of everything we send about a ticket) threads into the token's ticket. A message
to any of them threads, in this order, by a valid token in the recipient, then by its
``In-Reply-To`` / ``References`` naming a Message-ID we sent or received for a ticket — never
by its subject. A forged or unknown token is treated as no token.

Automatic mail (RFC 3834: ``Auto-Submitted``, ``Precedence: bulk``, ``X-Loop`` naming us, list
headers, bounces) never opens a ticket and is never answered. When it threads into a ticket (an
out-of-office answer to staff's reply) it is kept there for staff, marked automatic, and changes
nothing; otherwise it is accepted and dropped, so the robot that sent it does not retry.

Each delivery is one transaction: a fault stores nothing and the sender is told to retry.
"""

import logging

from django.db import transaction

from hostpact.core.inbound import InboundMessage, register_mailbox
from hostpact.support import threading
from hostpact.support.models import Ticket, TicketMessage
from hostpact.support.services import tickets

log = logging.getLogger(__name__)
QUEUES = tuple(Ticket.Queue.values)


def matches(local_part: str) -> bool:
    """Return True for the local parts the support desk receives."""
    return local_part in QUEUES or threading.token_of_local_part(local_part) is not None


def _by_token(message: InboundMessage) -> Ticket | None:
    token = threading.token_of_local_part(message.local_part)
    return threading.ticket_for_token(token, Ticket.objects.all()) if token else None


def _by_headers(message: InboundMessage) -> Ticket | None:
    ids = [i for i in [message.in_reply_to, *reversed(message.references)] if i]
    if not ids:
        return None
    indexes = [threading.index(i) for i in ids[:20]]
    found = (TicketMessage.objects.filter(message_id_index__in=indexes)
             .order_by("-at", "-pk").values_list("ticket_id", flat=True).first())
    return Ticket.objects.filter(pk=found).first() if found else None


def thread_of(message: InboundMessage) -> Ticket | None:
    """The ticket ``message`` replies to (token first, then Message-IDs), unless anonymised."""
    ticket = _by_token(message) or _by_headers(message)
    if ticket is not None and tickets.is_anonymised(ticket):
        return None
    return ticket


def _text(value) -> str:
    """Text safe to encrypt: raw 8-bit bytes the parser kept as surrogates read as UTF-8."""
    return str(value or "").encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def incoming_of(message: InboundMessage) -> tickets.Incoming:
    """The parts of ``message`` the services store."""
    name = ""
    try:
        from_header = message.message.get("From")
        name = getattr(getattr(from_header, "addresses", [None])[0], "display_name", "") or ""
    except Exception:  # noqa: BLE001 - an unreadable From leaves the name empty
        name = ""
    return tickets.Incoming(
        return_address=message.reply_address, from_addr=message.from_addr, name=_text(name),
        subject_line=message.subject, body=message.text_body(),
        message_id=message.message_id, in_reply_to=message.in_reply_to,
        references=list(message.references), attachments=message.attachments(),
        auto_submitted=message.is_auto_submitted())


def deliver(message: InboundMessage) -> None:
    """Store ``message``: threaded into its ticket, a new ticket, or (automatic) dropped."""
    incoming = incoming_of(message)
    with transaction.atomic():
        ticket = thread_of(message)
        if ticket is not None:
            tickets.add_message(ticket, incoming)
            return
        if incoming.auto_submitted:
            log.info("automatic mail to %s dropped: it opens no ticket",
                     message.local_part.partition("+")[0])
            return
        queue = message.local_part if message.local_part in QUEUES else Ticket.Queue.SUPPORT
        tickets.open_ticket(queue, incoming)


def register() -> None:
    """Register the support desk's mailboxes with the inbound server."""
    register_mailbox("support", matches, deliver)
