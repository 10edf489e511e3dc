"""Erasing a subscriber who used the account: every key class goes, and every way in."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from hostpact.accounts.models import ApiToken, LoginSession
from hostpact.core import crypto
from hostpact.core.models import DataKey
from hostpact.privacy.rights.erasure import services as erasure
from hostpact.testing import factories
from hostpact.testing.scan import ciphertexts_of

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-1"


def _sign_in(email: str, agent: str) -> Client:
    browser = Client(HTTP_USER_AGENT=agent)
    resp = browser.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})
    assert resp.status_code == 302, resp.content[:300]
    return browser


@pytest.mark.commitment("C34")
def test_an_erased_subscriber_who_signed_in_leaves_nothing_that_decrypts():
    """A subscriber signed in from two browsers (each session listed with its browser, under
    the ``security`` key) and holding two API tokens is erased: none of the ciphertext that
    named them decrypts, whatever its key class; every data key is shredded; every token,
    session and session listing is gone, and neither browser nor token gets in."""
    user = factories.make_subscriber()
    sid = user.subject_id
    browsers = [_sign_in(user.email, "Mozilla/5.0 (Erasetest One)"),
                _sign_in(user.email, "Mozilla/5.0 (Erasetest Two)")]
    tokens = []
    for _ in range(2):
        resp = browsers[0].post("/api/v1/auth/token", {"email": user.email,
                                                        "password": PASSWORD},
                                content_type="application/json")
        assert resp.status_code == 200, resp.content
        tokens.append(resp.json()["token"])
    session_keys = list(LoginSession.objects.filter(user=user).values_list("session_key",
                                                                           flat=True))
    assert len(session_keys) == 2 and ApiToken.objects.filter(user=user).count() == 2
    stored = ciphertexts_of(sid)
    assert {"account", "security"} <= set(stored.values())

    erasure.erase_subject(sid, actor="system:test", reason="staff")

    readable = []
    for token, klass in stored.items():
        try:
            crypto.decrypt(token)
        except crypto.ShreddedKeyError:
            continue
        readable.append(klass)
    assert readable == []
    assert not DataKey.objects.filter(subject_id=sid, shredded_at__isnull=True).exists()
    assert not ApiToken.objects.filter(user=user).exists()
    assert not LoginSession.objects.filter(user=user).exists()
    assert not Session.objects.filter(session_key__in=session_keys).exists()
    for token in tokens:
        resp = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert resp.status_code == 401
    for browser in browsers:
        assert browser.get(reverse("panel:dashboard")).status_code == 302
