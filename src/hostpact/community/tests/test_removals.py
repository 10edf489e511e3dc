"""Removal requests (C30): by the form and by mail to abuse@ (ticket → action → request);
each outcome is applied and mailed to the requester with its reason; content that does not
exist is a clear answer and nothing is stored; another's request answers 404."""

import pytest
from django.urls import reverse

from hostpact.community import services
from hostpact.community.models import Post, RemovalRequest, State
from hostpact.community.models import Testimonial as Quote
from hostpact.community.tests.helpers import moderator, published_post
from hostpact.support.models import Ticket
from hostpact.support.tests.helpers import deliver, mail, only_ticket, outbox

pytestmark = pytest.mark.django_db


def _post_url(post):
    return "https://hostpact.test" + reverse("community:post", args=[post.pk])


def _form_request(client, post, email="visitor@example.test"):
    return client.post(reverse("community:removal"), {
        "email": email, "url": _post_url(post), "what": "My phone number in the 2nd line."})


@pytest.mark.commitment("C30")
def test_a_visitor_asks_by_the_form_and_an_abuse_ticket_is_opened(client, subscriber):
    """The form stores the request under a visitor subject of its own and opens a ticket in
    the abuse queue carrying what to remove."""
    post = published_post(subscriber)
    response = _form_request(client, post)
    assert response.status_code == 201
    req = RemovalRequest.objects.get()
    assert (req.target_kind, req.target_id, req.user) == ("post", post.pk, None)
    assert req.requester_email == "visitor@example.test"
    assert req.subject.kind == "visitor" and req.ticket.queue == Ticket.Queue.ABUSE
    assert "My phone number" in req.ticket.messages.filter(direction="in")[0].body


@pytest.mark.commitment("C30")
def test_content_that_does_not_exist_is_a_clear_answer_and_nothing_is_stored(client,
                                                                             subscriber):
    """An address of no post (or a removed one, or an unapproved testimonial) is refused on
    the URL field; no request and no ticket are stored."""
    item = services.submit_testimonial(subscriber, "A. K.", "Great host")
    for url in ("https://hostpact.test/community/post/999/", "https://elsewhere.test/",
                f"https://hostpact.test/testimonials/#testimonial-{item.pk}"):
        response = client.post(reverse("community:removal"),
                               {"email": "v@example.test", "url": url, "what": "x"})
        assert response.status_code == 400
        assert "We found no post or testimonial at that address" in response.content.decode()
    assert not RemovalRequest.objects.exists() and not Ticket.objects.exists()


@pytest.mark.commitment("C30")
def test_by_mail_staff_record_it_from_the_ticket_and_removal_is_answered(client, subscriber):
    """Mail to abuse@ opens a ticket whose page offers "Record as a removal request"; the
    recorded request is linked to the ticket; removing clears the post and the answer goes to
    the sender through the ticket."""
    post = published_post(subscriber)
    deliver(mail("abuse", sender="asha@example.test", subject="Please remove",
                 body=f"Remove my address from {_post_url(post)}"),
            envelope_from="asha@example.test")
    ticket = only_ticket()
    staff = moderator()
    client.force_login(staff)
    page = client.get(reverse("admin:support_ticket_change", args=[ticket.pk])).content.decode()
    action = reverse("admin:community_removalrequest_from_ticket", args=[ticket.pk])
    assert "Record as a removal request" in page and action in page
    response = client.post(action, {"url": _post_url(post), "what": "my street address"})
    req = RemovalRequest.objects.get()
    assert response.status_code == 302 and req.ticket == ticket
    assert req.requester_email == "asha@example.test"
    decide = reverse("admin:community_removalrequest_change", args=[req.pk])
    assert client.post(decide, {"outcome": "removed"}).status_code == 302
    post.refresh_from_db()
    assert post.state == State.REMOVED and post.body == ""
    answer = outbox("asha@example.test")[-1]
    assert "We removed the forum post" in answer.body and req.reference in answer.body
    assert ticket.messages.filter(direction="out", auto_submitted=False).exists()


@pytest.mark.commitment("C30")
def test_anonymising_keeps_the_edited_post_as_by_a_former_member_and_tells_them(
        client, subscriber):
    """Anonymise: the post stays with staff's edited text, its author cleared and shown as
    "former member"; the requester is told."""
    post = published_post(subscriber, body="Call me on 98765 43210")
    _form_request(client, post)
    req = RemovalRequest.objects.get()
    services.decide_removal(req, moderator(), "anonymised", body="Call me (number removed)")
    post.refresh_from_db()
    assert post.anonymised and post.author is None and post.subject is None
    assert post.body == "Call me (number removed)"
    page = client.get(reverse("community:thread", args=[post.thread_id])).content.decode()
    assert "former member" in page and "98765" not in page
    assert "We anonymised the forum post" in outbox("visitor@example.test")[-1].body


@pytest.mark.commitment("C30")
def test_a_refusal_needs_a_listed_reason_and_mails_it(client, subscriber):
    """Refusing without a reason is refused on the reason field; a refusal with "quoted in
    another member's post" and text mails both to the requester; the post stays."""
    post = published_post(subscriber)
    _form_request(client, post)
    req = RemovalRequest.objects.get()
    staff = moderator()
    client.force_login(staff)
    decide = reverse("admin:community_removalrequest_change", args=[req.pk])
    response = client.post(decide, {"outcome": "refused"})
    assert response.status_code == 400 and 'id="id_reason_error"' in response.content.decode()
    client.post(decide, {"outcome": "refused", "reason": "quoted",
                         "reason_text": "Three replies quote it."})
    req.refresh_from_db()
    assert req.status == "refused" and req.reason == "quoted" and req.decided_by
    body = outbox("visitor@example.test")[-1].body
    assert "It is quoted in another member's post" in body and "Three replies" in body
    assert Post.objects.get(pk=post.pk).state == State.VISIBLE


@pytest.mark.commitment("C30")
def test_a_closed_ticket_still_gets_the_outcome_by_mail(client, subscriber):
    """When the ticket cannot be answered (closed), the outcome goes by transactional mail."""
    post = published_post(subscriber)
    _form_request(client, post)
    req = RemovalRequest.objects.get()
    staff = moderator()
    from hostpact.support import services as support

    support.close_ticket(req.ticket, staff)
    services.decide_removal(req, staff, "refused", reason="legal_claim")
    message = outbox("visitor@example.test")[-1]
    assert message.category == "transactional" and "legal claim" in message.body


@pytest.mark.commitment("C30")
def test_a_subscribers_requests_are_listed_and_anothers_answer_404(client, subscriber,
                                                                   other_subscriber):
    """A logged-in subscriber's request uses their account address and is listed in their
    pages; another subscriber gets 404 for it."""
    post = published_post(other_subscriber)
    client.force_login(subscriber)
    _form_request(client, post, email="ignored@example.test")
    req = RemovalRequest.objects.get()
    assert req.user == subscriber and req.requester_email == subscriber.email
    assert req.reference in client.get(reverse("community:my_removals")).content.decode()
    assert client.get(reverse("community:my_removal", args=[req.pk])).status_code == 200
    client.force_login(other_subscriber)
    assert client.get(reverse("community:my_removal", args=[req.pk])).status_code == 404
    assert req.reference not in client.get(reverse("community:my_removals")).content.decode()


def test_removing_a_testimonial_withdraws_it(client, subscriber):
    """A removal request for an approved testimonial, decided "removed", takes it down."""
    item = services.submit_testimonial(subscriber, "Asha, Pune", "Fast support")
    services.decide_testimonial(item, moderator(), True)
    url = "https://hostpact.test" + reverse("community:testimonials") + f"#testimonial-{item.pk}"
    client.post(reverse("community:removal"), {"email": "v@example.test", "url": url,
                                               "what": "my name"})
    services.decide_removal(RemovalRequest.objects.get(), moderator(), "removed")
    item.refresh_from_db()
    assert item.state == Quote.Status.WITHDRAWN and item.text == ""
