"""The security page lists the subscriber's live sessions only."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from hostpact.accounts.models import LoginSession
from hostpact.accounts.tests.helpers import web_login


@pytest.mark.django_db
def test_expired_session_is_no_longer_listed_on_the_security_page(client, subscriber):
    """A session whose Django row expired (or was flushed) drops off the security page and its
    listing is deleted; the live one stays."""
    expired, flushed = Client(), Client()
    web_login(expired, subscriber)
    web_login(flushed, subscriber)
    web_login(client, subscriber)
    Session.objects.filter(session_key=expired.session.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1))
    Session.objects.filter(session_key=flushed.session.session_key).delete()
    assert LoginSession.objects.filter(user=subscriber).count() == 3

    page = client.get("/panel/security/")

    assert page.status_code == 200
    assert [s.session_key for s in page.context["sessions"]] == [client.session.session_key]
    assert list(LoginSession.objects.filter(user=subscriber)
                .values_list("session_key", flat=True)) == [client.session.session_key]
