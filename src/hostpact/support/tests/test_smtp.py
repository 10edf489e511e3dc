"""The support desk over real SMTP: smtplib, the sending client, against the inbound server."""

import smtplib

import pytest

from hostpact.core import inbound_server
from hostpact.support import threading
from hostpact.support.models import Ticket
from hostpact.support.tests.helpers import address, mail, outbox

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def smtp():
    controller = inbound_server.start_in_thread()
    client = smtplib.SMTP("127.0.0.1", controller.port, timeout=10)
    try:
        yield client
    finally:
        client.quit()
        controller.stop()


@pytest.mark.commitment("C19")
def test_mail_sent_with_smtplib_opens_a_ticket_and_a_reply_threads_into_it(smtp):
    """A message to support@ opens a ticket; the reply to the acknowledgement's Reply-To joins
    it; an auto-reply opens nothing; an unknown mailbox is refused at RCPT."""
    assert smtp.send_message(mail(), from_addr="inquirer@example.test") == {}
    [ticket] = Ticket.objects.all()
    [ack] = outbox("inquirer@example.test")
    reply = mail(ack.headers["Reply-To"], subject="Re: Help", body="More detail.")
    smtp.send_message(reply, from_addr="inquirer@example.test")
    assert Ticket.objects.count() == 1
    assert ticket.messages.filter(direction="in").count() == 2
    assert ack.headers["Reply-To"] == threading.reply_to(ticket)
    smtp.send_message(mail(headers={"Auto-Submitted": "auto-replied"}),
                      from_addr="robot@example.test")
    assert Ticket.objects.count() == 1
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        smtp.sendmail("inquirer@example.test", [address("nobody")], b"Subject: x\r\n\r\nx")
