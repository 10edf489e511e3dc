"""Mail to the support, abuse and compliance addresses opens tickets; replies thread."""

import pytest
from django.conf import settings
from django.db import connection

from hostpact.core import ratelimit
from hostpact.support import threading
from hostpact.support.models import Ticket, TicketMessage
from hostpact.support.tests.helpers import deliver, mail, only_ticket, outbox

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("queue", ["support", "abuse", "compliance"])
def test_a_first_message_opens_a_ticket_in_its_queue_and_is_acknowledged(queue):
    """The first message opens a ticket in the address's queue; the sender gets one
    acknowledgement with the reference, threaded under their message, marked automatic."""
    sent = mail(queue)
    assert deliver(sent).startswith("250")
    ticket = only_ticket()
    assert ticket.queue == queue and ticket.status == Ticket.Status.OPEN
    assert ticket.return_address == "inquirer@example.test"
    assert ticket.subject_line == "Help with my site" and ticket.sender_name == "Asha Inquirer"
    [first, ack] = ticket.messages.all()
    assert first.body.strip() == "My site shows an error since this morning."
    assert first.message_id == sent["Message-ID"]
    [queued] = outbox("inquirer@example.test")
    assert ticket.reference in queued.body and queued.category == "support"
    assert queued.headers["Auto-Submitted"] == "auto-replied"
    assert queued.headers["X-Loop"] == f"support@{settings.MAIL_DOMAIN}"
    assert queued.headers["Reply-To"] == threading.reply_to(ticket)
    assert queued.headers["In-Reply-To"] == sent["Message-ID"]
    assert queued.headers["References"] == sent["Message-ID"]
    assert queued.from_addr.endswith(f"<{queue}@{settings.MAIL_DOMAIN}>")
    assert ack.direction == "out" and ack.message_id == queued.message_id


def test_a_sender_gets_at_most_one_acknowledgement_an_hour():
    """Two new tickets from one sender in an hour: the second is not acknowledged."""
    deliver(mail(subject="One"))
    deliver(mail(subject="Two"))
    assert Ticket.objects.count() == 2
    assert len(outbox("inquirer@example.test")) == 1


def test_ticket_contents_are_encrypted_at_rest():
    """Body, address and subject are stored as ciphertext under the ticket's own key."""
    deliver(mail(body="The secret word is marmalade."))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT body, from_addr, message_id FROM {TicketMessage._meta.db_table}")
        rows = cursor.fetchall()
        cursor.execute(f"SELECT subject_line, return_address FROM {Ticket._meta.db_table}")
        rows += cursor.fetchall()
    assert all(value.startswith("hp1.") for row in rows for value in row)
    assert "marmalade" not in str(rows)


def test_a_forged_token_threads_nothing_and_opens_a_new_ticket():
    """A support+<token> address whose signature does not match opens its own ticket."""
    deliver(mail())
    ticket = only_ticket()
    forged = threading.token_for(ticket)[:-1] + ("0" if threading.token_for(ticket)[-1] != "0"
                                                 else "1")
    ratelimit.reset(  # the acknowledgement limit is not what this test is about
        "support-ack", "inquirer@example.test", 3600)
    assert deliver(mail(f"support+{forged}", subject="Re: Help")).startswith("250")
    assert Ticket.objects.count() == 2
