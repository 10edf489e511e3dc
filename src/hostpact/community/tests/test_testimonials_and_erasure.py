"""Testimonials are shown only once approved, with the name the subscriber chose, and can be
withdrawn; a subscriber's posts and testimonials are in "My information", and their erasure
anonymises the posts and withdraws the testimonials (C30)."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from hostpact.community import services
from hostpact.community.models import Post
from hostpact.community.models import Testimonial as Quote
from hostpact.community.tests.helpers import moderator, published_post
from hostpact.privacy.rights.erasure import services as erasure

pytestmark = pytest.mark.django_db


def _home(count=3) -> str:
    return Template("{% load community %}{% testimonials " + str(count) + " %}").render(
        Context({}))


@pytest.mark.commitment("C30")
def test_testimonials_show_only_when_approved_with_the_chosen_name(client, subscriber,
                                                                   other_subscriber):
    """A submitted or rejected testimonial is nowhere public; an approved one shows on
    /testimonials/ and in {% testimonials %} under the chosen name, never the account name."""
    shown = services.submit_testimonial(subscriber, "Asha, Pune", "Quick and kind support.")
    rejected = services.submit_testimonial(other_subscriber, "R. K.", "Spam spam")
    assert "Quick and kind" not in client.get(reverse("community:testimonials")).content.decode()
    assert "Quick and kind" not in _home()
    staff = moderator()
    services.decide_testimonial(shown, staff, True)
    services.decide_testimonial(rejected, staff, False)
    page = client.get(reverse("community:testimonials")).content.decode()
    assert "Quick and kind support." in page and "Asha, Pune" in page
    assert "Spam spam" not in page and "Asha Test" not in page  # the account name
    assert "Asha, Pune" in _home() and "Spam spam" not in _home()


def test_a_subscriber_submits_withdraws_and_cannot_withdraw_anothers(client, subscriber,
                                                                     other_subscriber):
    """The panel page submits (a missing name is refused on its field), lists and withdraws
    one's own testimonial; withdrawing another's answers 404."""
    client.force_login(subscriber)
    url = reverse("community:my_testimonials")
    response = client.post(url, {"display_name": "", "text": "Good"})
    assert response.status_code == 400 and 'id="id_display_name_error"' in \
        response.content.decode()
    assert client.post(url, {"display_name": "A. S.", "text": "Good"}).status_code == 302
    mine = Quote.objects.get()
    theirs = services.submit_testimonial(other_subscriber, "O.", "Other")
    assert client.post(url, {"withdraw": theirs.pk}).status_code == 404
    client.post(url, {"withdraw": mine.pk})
    mine.refresh_from_db()
    assert mine.state == Quote.Status.WITHDRAWN
    assert Quote.objects.get(pk=theirs.pk).state == Quote.Status.SUBMITTED


def test_posts_and_testimonials_appear_in_my_information(client, subscriber):
    """"My information" lists the subscriber's posts and testimonials in their sections."""
    published_post(subscriber, body="Visible in my information")
    services.submit_testimonial(subscriber, "A. S.", "My words")
    client.force_login(subscriber)
    page = client.get(reverse("panel:information")).content.decode()
    assert "Your forum posts" in page and "Visible in my information" in page
    assert "Your testimonials" in page and "My words" in page


@pytest.mark.commitment("C30")
def test_erasure_anonymises_posts_and_withdraws_testimonials(client, subscriber):
    """After erasure the post stays, text kept, shown as by a "former member" with no link to
    the account; the testimonial is withdrawn with its text and name cleared."""
    post = published_post(subscriber, body="How do I set up DNS?")
    item = services.submit_testimonial(subscriber, "Asha, Pune", "Great")
    services.decide_testimonial(item, moderator(), True)
    erasure.erase_subject(subscriber.subject_id, actor="system:test")
    post = Post.objects.get(pk=post.pk)
    assert post.anonymised and post.author_id is None and post.subject_id is None
    assert post.body == "How do I set up DNS?"
    page = client.get(reverse("community:thread", args=[post.thread_id])).content.decode()
    assert "former member" in page and "How do I set up DNS?" in page
    item.refresh_from_db()
    assert item.state == Quote.Status.WITHDRAWN and item.text == "" and item.display_name == ""
    assert "Asha, Pune" not in _home()
