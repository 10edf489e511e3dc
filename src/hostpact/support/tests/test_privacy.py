"""Tickets and the data map: linked only to a verified address; exported, erased, and
anonymised two years after closing; requests by mail go through the verification flow."""

import datetime

import pytest
from django.urls import reverse

from hostpact.accounts import services as accounts
from hostpact.core import clock
from hostpact.core.models import DataKey
from hostpact.privacy.rights.erasure.services import erase_subject
from hostpact.privacy.rights.export.queries import build_export
from hostpact.privacy.rights.retention import services as retention
from hostpact.privacy.subject_requests import services as requests
from hostpact.privacy.subject_requests.models import DataSubjectRequest as DSR
from hostpact.privacy.subject_requests.tests.helpers import last_code
from hostpact.support import services
from hostpact.support.models import Attachment, Ticket, TicketMessage
from hostpact.support.tests.helpers import deliver, mail, only_ticket
from hostpact.testing.factories import make_staff

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


def _verify(user):
    return accounts.confirm_email(accounts.verification_token(user, user.email))


@pytest.fixture
def verified(subscriber):
    return _verify(subscriber)


def test_a_ticket_links_to_the_account_only_from_its_verified_address(subscriber):
    """Unverified: unlinked. Verified: linked. A forged From with another Reply-To: unlinked."""
    deliver(mail(sender=subscriber.email, subject="Before"))
    _verify(subscriber)
    deliver(mail(sender=subscriber.email, subject="After"))
    deliver(mail(sender=subscriber.email, reply_to="thief@example.test", subject="Forged"))
    before, after, forged = Ticket.objects.order_by("pk")
    assert before.user is None and forged.user is None
    assert after.user == subscriber and after.subject_id == subscriber.subject_id


@pytest.mark.commitment("C19")
def test_the_export_holds_the_subscribers_tickets_and_erasure_deletes_them(verified):
    """A linked ticket's messages are in the export; erasure deletes them and shreds the key."""
    deliver(mail(sender=verified.email, body="Please help with invoice 7.",
                 attachments=[("scan.pdf", b"%PDF-1.4")]))
    ticket = only_ticket()
    export = build_export(verified.subject_id)
    text = str(export)
    assert "Please help with invoice 7." in text and "scan.pdf" in text
    erase_subject(verified.subject_id, actor="staff:1")
    assert not Ticket.objects.filter(pk=ticket.pk).exists()
    assert TicketMessage.objects.count() == 0 and Attachment.objects.count() == 0
    assert DataKey.objects.filter(subject_id=ticket.inquirer_id, shredded_at__isnull=True
                                  ).count() == 0


def test_my_information_lists_the_linked_tickets(client, verified):
    """The subscriber sees their ticket's subject and message on "My information"; a file
    reads as its size."""
    deliver(mail(sender=verified.email, subject="Invoice question", body="Where is invoice 9?",
                 attachments=[("scan.pdf", b"%PDF-1.4")]))
    client.force_login(verified)
    page = client.get(reverse("panel:information")).content.decode()
    assert "Support tickets" in page and "Invoice question" in page
    assert "Where is invoice 9?" in page and "A file of 8 bytes" in page


@pytest.mark.commitment("C19")
def test_retention_anonymises_a_ticket_closed_two_years_ago_and_not_a_recent_one():
    """The retention run shreds the key of a ticket closed SUPPORT_RETENTION_DAYS ago; a
    ticket closed since keeps its contents; an anonymised ticket is never threaded again."""
    staff = make_staff(groups=["support"])
    with clock.freeze(T0):
        deliver(mail(subject="Old", body="old contents"))
        old = Ticket.objects.get()
        services.close_ticket(old, staff)
    with clock.freeze(T0 + datetime.timedelta(days=400)):
        deliver(mail(subject="Recent", body="recent contents", sender="other@example.test"))
        recent = Ticket.objects.get(pk__gt=old.pk)
        services.close_ticket(recent, staff)
    with clock.freeze(T0 + datetime.timedelta(days=731)):
        retention.run()
        old = Ticket.objects.get(pk=old.pk)
        assert old.subject_line is None and old.return_address is None
        assert all(m.body is None for m in old.messages.all())
        assert services.is_anonymised(old) and old.status == Ticket.Status.CLOSED
        recent = Ticket.objects.get(pk=recent.pk)
        assert recent.subject_line == "Recent"
        assert recent.messages.filter(direction="in").get().body.strip() == "recent contents"
        first = old.messages.filter(direction="out").first()
        deliver(mail(headers={"In-Reply-To": first.message_id or "<x@y.test>"}))
        assert Ticket.objects.count() == 3


@pytest.mark.commitment("C32")
def test_a_mail_asking_for_a_correction_is_verified_and_applied(client, verified):
    """Mail to compliance@ asking to correct an address is marked as a correction; staff
    record it (the button), the code goes to the email on file, staff check it and attest,
    and the correction is applied through the existing flow; the ticket shows the request."""
    staff = make_staff(groups=["compliance"])
    with clock.freeze(T0):
        deliver(mail("compliance", sender=verified.email, subject="Wrong address",
                     body="Please update my address: I moved to Mumbai."))
    ticket = only_ticket()
    assert ticket.suggested_request == DSR.Kind.CORRECTION
    client.force_login(staff)
    page = reverse("admin:support_ticket_change", args=[ticket.pk])
    assert "Record as a data-subject request" in client.get(page).content.decode()
    response = client.post(page, {"action": "request", "request-kind": "correction"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    dsr = ticket.request
    assert (dsr.kind, dsr.channel, dsr.user) == ("correction", "email", verified)
    assert dsr.received_at == T0
    assert dsr.reference in client.get(page).content.decode()
    requests.send_code(dsr, staff, "email")
    requests.check_code(dsr, staff, last_code(verified.subject_id))
    requests.attest_identity(dsr, staff, True)
    dsr = requests.start_request(dsr, staff)
    changed = requests.apply_correction(dsr, staff, {"city": "Mumbai"})
    assert changed == ["city"]
    verified.profile.refresh_from_db()
    assert verified.profile.city == "Mumbai"


@pytest.mark.commitment("C32")
@pytest.mark.parametrize("body, kind", [
    ("Please send me a copy of my personal data.", "access"),
    ("I want you to delete my account and all my data.", "erasure"),
    ("I object to the use of my data for promotions.", "objection"),
    ("My site is slow.", ""),
    ("Delete my account, and also update my address.", ""),
])
def test_clear_words_decide_the_kind_and_unclear_ones_leave_it_to_staff(body, kind):
    """One right asked in clear words is suggested; none or several leave the choice."""
    assert services.suggest_kind(body) == kind


def test_a_request_for_an_unknown_address_is_refused_with_a_reason(client):
    """No account has the sender's address: the button says so and records nothing."""
    staff = make_staff(groups=["compliance"])
    deliver(mail("compliance", body="Send me a copy of my personal data."))
    ticket = only_ticket()
    client.force_login(staff)
    page = reverse("admin:support_ticket_change", args=[ticket.pk])
    response = client.post(page, {"action": "request", "request-kind": "access"})
    assert response.status_code == 400
    assert "No subscriber has this customer ID or email address." in response.content.decode()
    assert DSR.objects.count() == 0
