"""Replies thread by the signed token, then by In-Reply-To/References, never by subject;
automatic mail opens nothing and gets no answer; bad mail never half-stores."""

from email.utils import make_msgid

import pytest
from django.conf import settings

from hostpact.core import ratelimit
from hostpact.support import threading
from hostpact.support.models import Attachment, Ticket, TicketMessage
from hostpact.support.tests.helpers import deliver, mail, only_ticket, outbox

pytestmark = pytest.mark.django_db
SENDER = "inquirer@example.test"


@pytest.fixture
def ticket():
    deliver(mail())
    return only_ticket()


def _no_ack_limit():
    ratelimit.reset("support-ack", SENDER, 3600)


@pytest.mark.commitment("C19")
def test_a_reply_to_the_token_address_threads_into_its_ticket(ticket):
    """Mail to support+<token> is added to the token's ticket, whatever its headers."""
    reply = mail(f"support+{threading.token_for(ticket)}", subject="Something else entirely")
    assert deliver(reply).startswith("250")
    assert Ticket.objects.count() == 1
    assert ticket.messages.filter(direction="in").count() == 2


@pytest.mark.commitment("C19")
def test_a_reply_without_the_token_threads_by_in_reply_to(ticket):
    """A reply to support@ naming our acknowledgement's Message-ID joins that ticket."""
    ack = ticket.messages.get(direction="out")
    reply = mail(subject="Re: Help with my site", headers={"In-Reply-To": ack.message_id})
    deliver(reply)
    assert Ticket.objects.count() == 1 and ticket.messages.count() == 3


@pytest.mark.commitment("C19")
def test_a_reply_threads_by_references_to_a_message_we_received(ticket):
    """References naming the inquirer's own first message thread the reply too."""
    first = ticket.messages.get(direction="in")
    deliver(mail(headers={"References": f"{make_msgid(domain='x.test')} {first.message_id}"}))
    assert Ticket.objects.count() == 1


@pytest.mark.commitment("C19")
def test_the_same_subject_without_token_or_references_opens_a_new_ticket(ticket):
    """Two inquiries titled alike are two tickets: the subject never threads."""
    deliver(mail(subject=f"Re: Help with my site [{ticket.reference}]"))
    assert Ticket.objects.count() == 2


def test_a_reply_reopens_a_closed_ticket(ticket):
    """A person's reply to a closed ticket opens it again."""
    ticket.status, ticket.closed_at = Ticket.Status.CLOSED, ticket.created_at
    ticket.save(update_fields=["status", "closed_at"])
    deliver(mail(f"support+{threading.token_for(ticket)}"))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN and ticket.closed_at is None


@pytest.mark.commitment("C19")
@pytest.mark.parametrize("headers, envelope", [
    ({"Auto-Submitted": "auto-replied"}, SENDER),
    ({"Precedence": "bulk"}, SENDER),
    ({"X-Loop": f"support@{settings.MAIL_DOMAIN}"}, SENDER),
    ({"List-Id": "<news.example.test>"}, SENDER),
    ({}, ""),
])
def test_automatic_mail_opens_nothing_and_gets_no_answer(headers, envelope):
    """Auto-replies, bulk and list mail, our own loop and bounces are accepted and dropped."""
    assert deliver(mail(headers=headers), envelope_from=envelope).startswith("250")
    assert Ticket.objects.count() == 0
    assert outbox(SENDER) == []


def test_an_automatic_reply_to_a_ticket_is_kept_without_an_answer(ticket):
    """An out-of-office answer threads into its ticket, marked automatic, unanswered."""
    _no_ack_limit()
    ack = ticket.messages.get(direction="out")
    deliver(mail(headers={"Auto-Submitted": "auto-replied", "In-Reply-To": ack.message_id}))
    auto = ticket.messages.filter(direction="in").last()
    assert auto.auto_submitted
    assert len(outbox(SENDER)) == 1  # the first acknowledgement only


def test_attachments_within_the_limit_are_kept_and_larger_ones_noted(settings):
    """A file over SUPPORT_ATTACHMENT_MAX_BYTES is dropped with a note; the rest is kept."""
    settings.SUPPORT_ATTACHMENT_MAX_BYTES = 1000
    deliver(mail(attachments=[("small.bin", b"x" * 1000), ("big.bin", b"y" * 1001)]))
    [kept] = Attachment.objects.all()
    assert kept.filename == "small.bin" and kept.size == 1000
    note = TicketMessage.objects.get(direction="in").note
    assert "big.bin" in note and "1,001 bytes" in note


def test_a_message_without_message_id_gets_one_for_our_records():
    """No Message-ID: the ticket opens and the message gets an id of ours, noted."""
    deliver(mail(msgid=False))
    message = TicketMessage.objects.get(direction="in")
    assert message.message_id.endswith(f"@{settings.MAIL_DOMAIN}>")
    assert "no Message-ID" in message.note


def test_a_huge_body_is_cut_with_a_note():
    """A body over the stored limit is cut, and the cut is noted for staff."""
    deliver(mail(body="a" * 150_000))
    message = TicketMessage.objects.get(direction="in")
    assert len(message.body) == 100_000 and "longer than" in message.note


@pytest.mark.parametrize("raw", [
    b"From: \xff\xfe broken <inquirer@example.test>\r\nSubject: caf\xe9 \xff\r\n"
    b"To: support@hostpact.test\r\n\r\nbody with 8-bit \xe9 bytes\r\n",
    b"Content-Type: multipart/mixed; boundary=\"nope\"\r\nFrom: inquirer@example.test\r\n"
    b"\r\n--wrong\r\nContent-Type: text/plain\r\n\r\nhalf a part",
    b"\x00\x01 not a mail at all",
])
def test_bad_mail_is_stored_as_well_as_it_reads_or_not_at_all(raw):
    """8-bit headers, malformed MIME and garbage never crash: a clear reply, whole rows."""
    from hostpact.core import inbound

    [reply] = inbound.deliver(SENDER, [f"support@{settings.MAIL_DOMAIN}"], raw)
    assert reply.startswith("250")
    for ticket in Ticket.objects.all():
        assert ticket.messages.filter(direction="in").count() == 1


def test_a_fault_while_storing_leaves_nothing_half_stored(monkeypatch):
    """A failure after the ticket row was written rolls the whole delivery back (451)."""
    from hostpact.support.services import outgoing

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(outgoing, "acknowledge", fail)
    assert deliver(mail()).startswith("451")
    assert Ticket.objects.count() == 0 and TicketMessage.objects.count() == 0
