"""``/dev/mail/``: staff read caught mail in development; nobody else, and never in production."""

import pytest

from hostpact.core import mailcatcher
from hostpact.testing import factories

MESSAGE = (b"From: hostpact <no-reply@hostpact.test>\r\nTo: reader@example.test\r\n"
           b"Subject: Confirm your email\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           b"Open http://127.0.0.1:8000/verify-email/abc:def/ to confirm <b>now</b>.\r\n")


@pytest.fixture
def stored(settings, tmp_path):
    settings.MAIL_DIR = tmp_path
    return mailcatcher.store_message(tmp_path, MESSAGE).stem


@pytest.mark.django_db
def test_staff_list_and_read_a_message_with_clickable_links(client, stored):
    """The list shows recipient and subject; the message page links its URLs, escapes HTML."""
    client.force_login(factories.make_staff())
    page = client.get("/dev/mail/")
    assert page.status_code == 200
    assert b"reader@example.test" in page.content and b"Confirm your email" in page.content
    assert f"/dev/mail/{stored}/".encode() in page.content

    one = client.get(f"/dev/mail/{stored}/")
    assert one.status_code == 200
    assert b'<a href="http://127.0.0.1:8000/verify-email/abc:def/"' in one.content
    assert b"<b>now</b>" not in one.content and b"&lt;b&gt;now&lt;/b&gt;" in one.content


@pytest.mark.django_db
def test_the_list_is_paginated(client, settings, tmp_path):
    """More than a page of messages spreads over pages, newest on the first."""
    settings.MAIL_DIR = tmp_path
    for _ in range(55):
        mailcatcher.store_message(tmp_path, MESSAGE)
    client.force_login(factories.make_staff())
    first = client.get("/dev/mail/")
    assert b"Page 1 of 2" in first.content and b"55 messages" in first.content
    assert client.get("/dev/mail/?page=2").content.count(b"/dev/mail/2") == 5


@pytest.mark.django_db
def test_subscribers_and_visitors_cannot_read_caught_mail(client, stored, subscriber):
    """Anonymous visitors and subscribers are sent to the staff login, never shown mail."""
    for who in (None, subscriber):
        if who:
            client.force_login(who)
        for url in ("/dev/mail/", f"/dev/mail/{stored}/"):
            resp = client.get(url)
            assert resp.status_code == 302 and "/admin/login/" in resp["Location"]


@pytest.mark.django_db
def test_unknown_or_malformed_message_is_404(client, stored):
    """A name that is not a stored message answers 404."""
    client.force_login(factories.make_staff())
    assert client.get("/dev/mail/20250101T000000.000000Z-000000000000/").status_code == 404
    assert client.get("/dev/mail/..%2Fkeys%2Fmaster/").status_code == 404


@pytest.mark.django_db
def test_dev_mail_is_404_in_production(client, stored, settings):
    """With HOSTPACT_ENV=production the pages do not exist, even for staff."""
    settings.PRODUCTION = True
    client.force_login(factories.make_staff())
    assert client.get("/dev/mail/").status_code == 404
    assert client.get(f"/dev/mail/{stored}/").status_code == 404
