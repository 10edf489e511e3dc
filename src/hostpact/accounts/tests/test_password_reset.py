"""Password reset by email."""

import re

import pytest

from hostpact.accounts.models import User
from hostpact.accounts.tests.helpers import last_mail, link_in
from hostpact.core.models import OutboxMessage


@pytest.mark.django_db
def test_password_reset_round_trip(client, subscriber):
    """The request mails a link; the link sets a new password once, and the old one stops
    working."""
    resp = client.post("/password-reset/", {"email": subscriber.email})
    assert resp.status_code == 200
    link = link_in(last_mail(subscriber), "/password-reset/")
    assert client.get(link).status_code == 200
    resp = client.post(link, {"new_password1": "fresh-password-42",
                              "new_password2": "fresh-password-42"})
    assert resp.status_code == 302
    user = User.objects.get(pk=subscriber.pk)
    assert user.check_password("fresh-password-42")
    assert client.get(link).status_code == 400  # used: the token no longer matches
    assert client.post("/login/", {"username": subscriber.email,
                                   "password": "fresh-password-42"}).status_code == 302


@pytest.mark.django_db
def test_reset_request_does_not_reveal_whether_an_account_exists(client, subscriber):
    """A known and an unknown address get the same page; only the known one gets mail."""
    mails = OutboxMessage.objects.count()
    known = client.post("/password-reset/", {"email": subscriber.email})
    unknown = client.post("/password-reset/", {"email": "nobody@example.test"})
    assert known.status_code == unknown.status_code == 200
    # The cookie banner's form holds a CSRF token masked afresh on every render.
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub(b"", known.content) == token.sub(b"", unknown.content)
    assert OutboxMessage.objects.count() == mails + 1


@pytest.mark.django_db
def test_weak_new_password_is_refused(client, subscriber):
    """A new password that fails the validators re-renders the form naming the field."""
    client.post("/password-reset/", {"email": subscriber.email})
    link = link_in(last_mail(subscriber), "/password-reset/")
    resp = client.post(link, {"new_password1": "short", "new_password2": "short"})
    assert resp.status_code == 400 and "new_password1" in resp.context["form"].errors
