"""Data-subject requests that arrive as tickets (C32, the email path).

A ticket whose words clearly ask for one right (access, correction, erasure, objection) is
marked with that kind when it opens; staff see it on the ticket and record it with one button,
or choose the kind themselves for a mail whose words are not clear. The request then follows
the existing verification flow: a one-time code to the email on file, staff's attestation,
then the right given effect through the correctors and the rights engine. A member of the
support or compliance staff records it, as the flow requires of every request, and the
request's due date runs from the mail's arrival, not from the click.
"""

import re

from django.db import transaction

from hostpact.core import audit
from hostpact.privacy.subject_requests.models import DataSubjectRequest as DSR
from hostpact.privacy.subject_requests.services.lifecycle import record_request

_KINDS = {
    DSR.Kind.ACCESS: [
        r"\b(a )?copy of (all )?(my|the) (personal )?(data|information)\b",
        r"\baccess to (all )?my (personal )?(data|information)\b",
        r"\bsubject access request\b", r"\bright of access\b",
        r"\bwhat (personal )?(data|information) do you (hold|have|keep)\b",
        r"\bexport (of )?my (personal )?(data|information)\b",
    ],
    DSR.Kind.CORRECTION: [
        r"\b(correct|rectify|fix) (my|the) (name|address|phone|email|details|"
        r"information|data|personal)\b",
        r"\bupdate my (name|address|postal address|phone|phone number|details|information|"
        r"personal data)\b",
        r"\bright to rectification\b", r"\bcorrection of my\b",
        r"\bmy (name|address|phone number|details) (is|are) (wrong|incorrect|out of date)\b",
    ],
    DSR.Kind.ERASURE: [
        r"\b(delete|erase|remove) (all )?(of )?my (account|personal data|data|information)\b",
        r"\bright to (erasure|be forgotten)\b", r"\berasure of my\b",
    ],
    DSR.Kind.OBJECTION: [
        r"\bi object to\b", r"\bright to object\b",
        r"\bstop (using|processing) my (personal )?(data|information)\b",
    ],
}
_PATTERNS = {kind: [re.compile(p, re.IGNORECASE) for p in patterns]
             for kind, patterns in _KINDS.items()}


def suggest_kind(text: str) -> str:
    """The one right ``text`` clearly asks for, or "" when it asks none or several."""
    text = " ".join((text or "")[:20_000].split())
    found = {kind for kind, patterns in _PATTERNS.items() if any(p.search(text)
                                                                  for p in patterns)}
    return found.pop() if len(found) == 1 else ""


def record_subject_request(ticket, staff, kind: str) -> DSR:
    """Record the ticket's message as a data-subject request of ``kind`` (by email) for the
    account its address belongs to; the ticket shows the request from then on.

    Raises ``RequestError`` (no account has the address, a bad kind) or ``PermissionError``.
    """
    from hostpact.support.models import Ticket
    from hostpact.support.services.tickets import SupportError, _require

    actor = _require(staff, ticket)
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.request_id:
            raise SupportError(f"{ticket.reference} is already request {ticket.request}.")
        first = ticket.messages.order_by("at", "pk").first()
        customer = ticket.user.customer_id if ticket.user_id else (ticket.return_address or "")
        dsr = record_request(staff, customer=customer, channel=DSR.Channel.EMAIL, kind=kind,
                             notes=f"From support ticket {ticket.reference}.",
                             received_at=first.at if first else None)
        ticket.request = dsr
        ticket.save(update_fields=["request"])
        audit.record(actor, "support.ticket.request", ticket.subject_id, [],
                     f"{ticket.reference}:{dsr.reference}")
    return dsr
