"""Staff answer from the back office at the return address, threaded (C19); the contact form
opens the same tickets; staff see only their own queue."""

import pytest
from django.urls import reverse

from hostpact.support import services, threading
from hostpact.support.models import Ticket, TicketMessage
from hostpact.support.tests.helpers import deliver, mail, only_ticket, outbox
from hostpact.testing.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return make_staff(groups=["support"])


def _page(ticket):
    return reverse("admin:support_ticket_change", args=[ticket.pk])


@pytest.mark.commitment("C19")
def test_an_answer_goes_to_the_reply_to_address_with_threading_headers(client, staff):
    """Staff's answer goes to the message's Reply-To, In-Reply-To/References its Message-ID,
    subject "Re: … [T-…]", Reply-To our token; it is recorded as an outgoing message."""
    sent = mail(sender="asha@example.test", reply_to="Asha <replies@example.test>",
                headers={"References": "<older@example.test>"})
    deliver(sent, envelope_from="bounce@example.test")
    ticket = only_ticket()
    client.force_login(staff)
    page = client.get(_page(ticket))
    assert page.status_code == 200 and "My site shows an error" in page.content.decode()
    response = client.post(_page(ticket), {"action": "answer",
                                           "answer-body": "Clear your cache, please."})
    assert response.status_code == 302
    answer = outbox("replies@example.test")[-1]
    assert answer.body == "Clear your cache, please."
    assert answer.subject_line == f"Re: Help with my site [{ticket.reference}]"
    assert answer.headers["In-Reply-To"] == sent["Message-ID"]
    assert answer.headers["References"] == f"<older@example.test> {sent['Message-ID']}"
    assert answer.headers["Reply-To"] == threading.reply_to(ticket)
    recorded = ticket.messages.filter(direction="out", auto_submitted=False).get()
    assert recorded.message_id == answer.message_id and recorded.actor == f"staff:{staff.pk}"
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.ANSWERED


@pytest.mark.commitment("C19")
def test_the_inquirers_reply_to_an_answer_threads_and_the_next_answer_follows_it(staff):
    """A reply quoting our answer joins the ticket; the next answer threads under it."""
    deliver(mail())
    ticket = only_ticket()
    first_answer = services.answer_ticket(ticket, staff, "Which site?")
    reply = mail(subject="Re: Help", body="shop.example.test",
                 headers={"In-Reply-To": first_answer.message_id,
                          "References": first_answer.references + " "
                          + first_answer.message_id})
    deliver(reply)
    assert Ticket.objects.count() == 1
    services.answer_ticket(ticket, staff, "Fixed.")
    last = outbox("inquirer@example.test")[-1]
    assert last.headers["In-Reply-To"] == reply["Message-ID"]
    assert last.headers["References"].endswith(f"{first_answer.message_id} {reply['Message-ID']}")


def test_close_and_reopen_from_the_ticket_page(client, staff):
    """Closing schedules the contents' end; reopening calls it off."""
    from hostpact.privacy.rights.models import KeyExpiry

    deliver(mail())
    ticket = only_ticket()
    client.force_login(staff)
    client.post(_page(ticket), {"action": "close"})
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED
    assert KeyExpiry.objects.filter(subject_id=ticket.inquirer_id).exists()
    page = client.post(_page(ticket), {"action": "answer", "answer-body": "late"})
    assert page.status_code == 400 and "reopen it to answer" in page.content.decode()
    assert not ticket.messages.filter(direction="out", auto_submitted=False).exists()
    client.post(_page(ticket), {"action": "reopen"})
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert not KeyExpiry.objects.filter(subject_id=ticket.inquirer_id).exists()


def test_staff_see_only_their_queue_and_files_download_through_a_read(client, staff):
    """Support staff cannot open an abuse ticket; a file downloads for its queue's staff."""
    deliver(mail("abuse", attachments=[("log.txt", b"evidence")]))
    ticket = only_ticket()
    client.force_login(staff)
    assert client.get(_page(ticket)).status_code in (302, 403, 404)
    abuse = make_staff(groups=["abuse"])
    client.force_login(abuse)
    page = client.get(_page(ticket)).content.decode()
    [attachment] = ticket.attachments.all()
    url = reverse("admin:support_ticket_file", args=[ticket.pk, attachment.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response.content == b"evidence"
    assert response["Content-Disposition"].startswith("attachment")


def test_the_ticket_list_shows_a_staff_members_queue_without_names(client, staff):
    """Support staff list support tickets only, by reference, with no name or address."""
    deliver(mail("support", subject="Mine"))
    deliver(mail("abuse", sender="other@example.test", subject="Not mine"))
    support_ticket, abuse_ticket = Ticket.objects.order_by("pk")
    client.force_login(staff)
    page = client.get(reverse("admin:support_ticket_changelist")).content.decode()
    assert support_ticket.reference in page and abuse_ticket.reference not in page
    assert "inquirer@example.test" not in page and "Asha Inquirer" not in page
    found = client.get(reverse("admin:support_ticket_changelist"),
                       {"q": support_ticket.reference}).content.decode()
    assert support_ticket.reference in found


def test_an_empty_answer_is_refused_and_nothing_is_sent(client, staff):
    """An empty answer shows an error naming the field; nothing is queued."""
    deliver(mail())
    ticket = only_ticket()
    client.force_login(staff)
    response = client.post(_page(ticket), {"action": "answer", "answer-body": ""})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert TicketMessage.objects.filter(direction="out", auto_submitted=False).count() == 0


def test_the_contact_form_opens_a_ticket_acknowledged_by_mail(client):
    """The web form opens a ticket in the chosen queue (channel web) and mails the
    acknowledgement with the reference."""
    url = reverse("support:contact")
    assert url == "/support/contact/"
    page = client.get(url).content.decode()
    assert '<label for="id_email">' in page
    response = client.post(url, {"name": "Ravi Web", "email": "ravi@example.test",
                                 "topic": "compliance", "subject": "My data",
                                 "message": "Which data do you keep?"})
    assert response.status_code == 201
    ticket = only_ticket()
    assert (ticket.queue, ticket.channel) == ("compliance", "web")
    assert ticket.reference in response.content.decode()
    [ack] = outbox("ravi@example.test")
    assert ticket.reference in ack.body and ack.headers["Reply-To"] == threading.reply_to(ticket)


def test_the_contact_form_names_bad_fields_and_is_rate_limited(client, settings):
    """A bad address is named; past the hourly limit the form answers 429, nothing opens."""
    url = reverse("support:contact")
    response = client.post(url, {"name": "X", "email": "not-an-address", "topic": "support",
                                 "subject": "s", "message": "m"})
    assert response.status_code == 400 and "valid email" in response.content.decode()
    settings.SUPPORT_CONTACT_RATE_PER_HOUR = 1
    response = client.post(url, {"name": "X", "email": "x@example.test", "topic": "support",
                                 "subject": "s", "message": "m"})
    assert response.status_code == 429
    assert Ticket.objects.count() == 0
