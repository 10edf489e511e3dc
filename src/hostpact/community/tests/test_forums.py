"""Forums: Markdown is sanitised, first posts and posts with links wait for moderation and
answer 404 to others, posting is rate-limited, and the public warning is on the forms."""

import pytest
from django.urls import reverse

from hostpact.community import services
from hostpact.community.models import Post, State
from hostpact.community.tests.helpers import category, moderator, published_post

pytestmark = pytest.mark.django_db


@pytest.mark.commitment("C30")
def test_html_and_script_in_a_post_are_escaped(client, subscriber):
    """A post's raw HTML, script and javascript: link reach the page as text, never markup."""
    post = published_post(subscriber, body='<script>alert(1)</script> <b onclick="x()">hi</b> '
                                           "[go](javascript:alert(2)) **bold**")
    page = client.get(reverse("community:thread", args=[post.thread_id])).content.decode()
    body = page.split(f'id="post-{post.pk}"')[1].split("</article>")[0]
    assert "<script>" not in body and "<b " not in body and "javascript:" not in body
    assert "&lt;script&gt;" in body and "<strong>bold</strong>" in body


@pytest.mark.commitment("C30")
def test_a_held_post_answers_404_to_others_and_shows_to_its_author(client, subscriber,
                                                                   other_subscriber):
    """A first post waits for moderation: its thread and link answer 404 to a visitor and to
    another subscriber; its author sees it marked "awaiting moderation"; approval publishes it."""
    thread, post = services.start_thread(subscriber, category(), "First", "My first post")
    assert post.state == State.HELD
    for url in (reverse("community:thread", args=[thread.pk]),
                reverse("community:post", args=[post.pk])):
        assert client.get(url).status_code == 404
        client.force_login(other_subscriber)
        assert client.get(url).status_code == 404
        client.logout()
    client.force_login(subscriber)
    page = client.get(reverse("community:thread", args=[thread.pk])).content.decode()
    assert "My first post" in page and "awaiting moderation" in page
    services.approve_post(post, moderator())
    client.logout()
    assert "My first post" in client.get(
        reverse("community:thread", args=[thread.pk])).content.decode()


def test_a_later_post_with_a_link_is_held_and_without_is_published(subscriber):
    """After a first approved post, a plain reply is published and one with a link is held."""
    post = published_post(subscriber)
    plain = services.reply(subscriber, post.thread, "Thanks!")
    linked = services.reply(subscriber, post.thread, "See https://example.test/x")
    assert plain.state == State.VISIBLE and linked.state == State.HELD


def test_the_forms_carry_the_public_warning_and_bad_input_names_the_field(client, subscriber):
    """The new-thread form warns that posts are public and links policy 5.1 and removal; an
    empty post is refused on the field and nothing is stored."""
    client.force_login(subscriber)
    url = reverse("community:new_thread", args=[category().slug])
    page = client.get(url).content.decode()
    assert "Anything you post here is public" in page and "5.1" in page
    assert reverse("community:removal") in page
    response = client.post(url, {"title": "T", "body": "   "})
    assert response.status_code == 400 and 'id="id_body_error"' in response.content.decode()
    assert not Post.objects.exists()


def test_posting_is_rate_limited_with_a_clear_message(client, subscriber, settings):
    """Past the hourly limit a reply is refused with a message saying to wait."""
    settings.COMMUNITY_POSTS_PER_HOUR = 2
    post = published_post(subscriber)
    client.force_login(subscriber)
    url = reverse("community:thread", args=[post.thread_id])
    assert client.post(url, {"body": "two"}).status_code == 302
    response = client.post(url, {"body": "three"})
    assert response.status_code == 429 and "wait an hour" in response.content.decode()
    assert Post.objects.count() == 2


def test_a_locked_thread_takes_no_reply_and_staff_moderate_from_the_back_office(
        client, subscriber):
    """Staff approve and lock from the post's back-office page; a locked thread refuses."""
    thread, post = services.start_thread(subscriber, category(), "Held", "first")
    staff = moderator()
    client.force_login(staff)
    page = reverse("admin:community_post_change", args=[post.pk])
    queue = client.get(reverse("admin:community_post_changelist"))
    assert queue.status_code == 200 and f"post {post.pk}" in queue.content.decode()
    client.post(page, {"action": "approve"})
    client.post(page, {"action": "lock"})
    client.post(page, {"action": "pin"})
    post.refresh_from_db()
    thread.refresh_from_db()
    assert post.state == State.VISIBLE and thread.locked and thread.pinned
    with pytest.raises(services.CommunityError):
        services.reply(subscriber, thread, "late")


def test_the_index_and_category_pages_list_only_what_others_may_see(client, subscriber,
                                                                    other_subscriber):
    """The index lists categories with the public warning; a category lists published
    threads, and a held one only to its author."""
    published_post(subscriber)
    held, _ = services.start_thread(other_subscriber, category(), "Held thread", "first")
    index = client.get(reverse("community:index")).content.decode()
    assert "General" in index and "Anything you post here is public" in index
    url = reverse("community:category", args=["general"])
    page = client.get(url).content.decode()
    assert "A question" in page and "Held thread" not in page
    client.force_login(other_subscriber)
    assert "Held thread" in client.get(url).content.decode()
