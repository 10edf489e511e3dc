"""Email verification by link: a forged or expired link says so and changes nothing."""

import pytest
from django.core import signing

from hostpact.accounts import services


@pytest.mark.django_db
def test_bad_and_expired_verification_links_say_so(client, subscriber):
    """A forged link and an expired link each answer with a clear message and change nothing."""
    resp = client.get("/verify-email/not-a-token/")
    assert resp.status_code == 400 and "not valid" in resp.content.decode()
    token = services.verification_token(subscriber, subscriber.email)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(signing, "loads", _expired)
        resp = client.get(f"/verify-email/{token}/")
    assert resp.status_code == 400 and "expired" in resp.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.email_verified_at is None


def _expired(*args, **kwargs):
    raise signing.SignatureExpired("too old")
