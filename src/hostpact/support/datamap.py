"""Data-map declarations of the support desk, and its registrations with the spine.

What an inquirer wrote to us and the address it came from are theirs (declared ``visitor``,
like others who write to us from outside; core kind ``inquirer``), used to answer them (policy
3.3, C19). Each ticket is encrypted under its own key, class ``support``: kept while the
ticket is open and ``SUPPORT_RETENTION_DAYS`` (2 years) after it closes, then the retention run
shreds the key, which anonymises the ticket (its queue, dates and state stay, as statistics).
A ticket linked to an account (its address is the account's verified email) is the
subscriber's too: it appears in their export and "My information", and their erasure deletes
it with its messages and files (``erase_tickets``). Queue, state and dates say nothing about a
person; the thread secret and the Message-ID hash are keys, not content.
"""

from hostpact.privacy import registry, subject_data
from hostpact.privacy.registry import Erasure, declare, not_personal, personal
from hostpact.support.models import SUPPORT, Attachment, Ticket, TicketMessage
from hostpact.support.services.tickets import erase_tickets

_answer = ("essential.service.operations.support", "essential.service.notifications.email")
_theirs = dict(subject="visitor", purposes=_answer, retention=SUPPORT,
               erasure=Erasure.DELETE)
_key = "the ticket's own subject, which owns the key of its contents"

declare(
    Ticket,
    id=not_personal(), queue=not_personal("which desk"), status=not_personal(),
    channel=not_personal("mail or the contact form"),
    inquirer=not_personal(_key),
    subject=not_personal("the inquirer's subject, or the linked subscriber's"),
    user=not_personal("the linked account"),
    return_address=personal("user.contact.email", label="Support ticket: your address",
                            **_theirs),
    subject_line=personal("user.content.private", label="Support ticket: subject", **_theirs),
    sender_name=personal("user.name", label="Support ticket: your name", **_theirs),
    thread_secret=not_personal("a random key that signs the ticket's reply address"),
    request=not_personal("the data-subject request recorded from the ticket"),
    suggested_request=not_personal("the right the words ask for, if clear"),
    created_at=not_personal(), updated_at=not_personal(), closed_at=not_personal(),
)
declare(
    TicketMessage,
    id=not_personal(), ticket=not_personal(), direction=not_personal(),
    inquirer_id=not_personal(_key),
    from_addr=personal("user.contact.email", label="Message: from", **_theirs),
    return_address=personal("user.contact.email", label="Message: answer goes to",
                            **_theirs),
    body=personal("user.content.private", label="Message", **_theirs),
    message_id=personal("user.unique_id", label="Message: Message-ID", **_theirs),
    message_id_index=not_personal("a keyed hash of the Message-ID, to thread replies"),
    in_reply_to=personal("user.unique_id", label="Message: in reply to", **_theirs),
    references=personal("user.unique_id", label="Message: references", **_theirs),
    at=not_personal(), actor=not_personal("a staff id"),
    auto_submitted=not_personal(), note=not_personal("what was cut or dropped, in numbers"),
)
declare(
    Attachment,
    id=not_personal(), ticket=not_personal(), message=not_personal(),
    inquirer_id=not_personal(_key),
    filename=personal("user.content.private", label="Attached file: name", **_theirs),
    content_type=not_personal("a media type"), size=not_personal("a byte count"),
    content=personal("user.content.private", label="Attached file (base64)", **_theirs),
)

registry.section(Ticket, "Support tickets", order=90)
registry.section(TicketMessage, "Support ticket messages", order=91)
registry.section(Attachment, "Files attached to support tickets", order=92)
registry.back_office("support", roles=("support", "abuse", "compliance"))
registry.erasure_step("support.tickets")(erase_tickets)


@subject_data.presenter(Attachment, "content")
def _file(row, value) -> str:
    """On the page, a file reads as its size; the export holds it (base64)."""
    return f"A file of {row.size:,} bytes" if value else ""
