"""/panel/mail/: the subscriber sees the mail the platform sent them (date, subject, kind,
status), their own only, newest first, page by page, and never a message's text."""

import datetime

import pytest

from hostpact.accounts.tests.helpers import web_login
from hostpact.core import clock
from hostpact.core.mail import queue_mail
from hostpact.core.models import OutboxMessage
from hostpact.panel.views import MAIL_PER_PAGE

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 3, 1, 4, 30, tzinfo=datetime.UTC)  # 10:00 in Kolkata
BODY = "Hello, this is the secret text of the message: 7K2-QX9."


def _send(user, subject_line, category="transactional", at=T0, status="sent", why=""):
    with clock.freeze(at):
        message = queue_mail(user.subject_id, user.email, subject_line, BODY, category,
                             html=f"<p>{BODY}</p>")
    # The worker's outcome, without running the worker: only status columns change.
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=status, skip_reason=why, sent_at=at if status == "sent" else None)
    return message


def _page(client, user, query=""):
    web_login(client, user)
    resp = client.get(f"/panel/mail/{query}")
    assert resp.status_code == 200
    return resp.content.decode()


@pytest.mark.commitment("C32")
def test_lists_own_mail_with_date_subject_kind_and_status(client, subscriber, other_subscriber):
    """Each message shows its date in Kolkata time, subject line, kind of mail in words and
    status; a skipped one says why; another subscriber's mail is not listed."""
    _send(subscriber, "Your invoice INV-1 is ready")
    _send(subscriber, "Our March newsletter", "newsletters", at=T0 + datetime.timedelta(days=1),
          status="skipped", why="unsubscribed from the list")
    _send(other_subscriber, "Someone else's invoice")
    page = _page(client, subscriber)
    assert "Your invoice INV-1 is ready" in page and "Our March newsletter" in page
    assert "1 Mar 2026, 10:00" in page
    assert "Account notices" in page and "Newsletters" in page
    assert "Not sent: unsubscribed from the list" in page and ">Sent<" in page
    assert "Someone else" not in page


def test_message_text_is_never_shown(client, subscriber):
    """Only subject lines are listed: neither the text nor the HTML of a message appears."""
    _send(subscriber, "Reset your hostpact password")
    page = _page(client, subscriber)
    assert "Reset your hostpact password" in page
    assert "7K2-QX9" not in page


def test_newest_first_and_paginated(client, subscriber):
    """Messages run newest first, a page at a time, with links to the older ones."""
    OutboxMessage.objects.filter(subject_id=subscriber.subject_id).delete()  # sign-up's mail
    for n in range(MAIL_PER_PAGE + 2):
        _send(subscriber, f"Notice number {n:02d}", at=T0 + datetime.timedelta(hours=n))
    first = _page(client, subscriber)
    newest, oldest = f"Notice number {MAIL_PER_PAGE + 1:02d}", "Notice number 00"
    assert newest in first and oldest not in first
    assert first.index(newest) < first.index(f"Notice number {MAIL_PER_PAGE:02d}")
    assert f"{MAIL_PER_PAGE + 2} messages" in first and 'href="?page=2"' in first
    second = client.get("/panel/mail/?page=2").content.decode()
    assert oldest in second and newest not in second


def test_kinds_without_a_list_and_statuses_read_in_plain_words(client, subscriber):
    """Support mail and policy notices are named in words; queued and failed messages say so."""
    _send(subscriber, "Your verification code", "support", status="queued")
    _send(subscriber, "Our privacy policy changes", "policy_notice", status="failed")
    page = _page(client, subscriber)
    assert "Support" in page and "Privacy policy notices" in page
    assert "Waiting to be sent" in page and "Could not be delivered" in page


def test_page_says_how_long_messages_are_listed(client, subscriber):
    """The page states the outbox's retention, as the data map declares it."""
    from hostpact.privacy import registry, retention

    declared = registry.for_model(OutboxMessage).fields["subject_line"]
    assert retention.get(declared.retention).period in _page(client, subscriber)


def test_login_required(client):
    """Without a login the page sends the visitor to log in."""
    resp = client.get("/panel/mail/")
    assert resp.status_code == 302 and "/login/" in resp["Location"]


def test_no_mail_says_so(client, subscriber):
    """With nothing sent, the page says no email was sent rather than showing an empty table."""
    OutboxMessage.objects.filter(subject_id=subscriber.subject_id).delete()
    page = _page(client, subscriber)
    assert "We have not sent you any email yet." in page and "<table" not in page


def test_a_bad_page_number_shows_a_page(client, subscriber):
    """A page number that is not one, or too big, shows the first or last page, not an error."""
    _send(subscriber, "Welcome to hostpact")
    web_login(client, subscriber)
    for query in ("?page=abc", "?page=999", "?page=-1"):
        resp = client.get(f"/panel/mail/{query}")
        assert resp.status_code == 200 and "Welcome to hostpact" in resp.content.decode()


def test_costs_the_same_queries_however_many_messages(client, subscriber,
                                                      django_assert_max_num_queries):
    """Session, user, the count and one query for the page's rows, for a full page."""
    for n in range(MAIL_PER_PAGE):
        _send(subscriber, f"Notice {n}")
    web_login(client, subscriber)
    assert client.get("/panel/mail/").status_code == 200  # reads the data key once
    with django_assert_max_num_queries(4):
        resp = client.get("/panel/mail/")
    assert resp.content.decode().count("<tr data-message=") == MAIL_PER_PAGE
