"""Login with password and two-factor, lockout, logout, and API bearer tokens."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hostpact.accounts import services
from hostpact.accounts.models import ApiToken, LoginSession
from hostpact.accounts.tests.helpers import PASSWORD, web_login
from hostpact.core import clock


@pytest.fixture(autouse=True)
def _no_otp_throttle(settings):
    """django-otp slows retries after a wrong code (a real defence); these tests retry at once."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.BACKUP_CODE_THROTTLE_FACTOR = 0


NOON = datetime.datetime(2030, 3, 4, 12, 1, tzinfo=datetime.UTC)


def enable_totp(user):
    """Turn two-factor on through the services, as the set-up page does; return the codes."""
    device = services.start_totp(user)
    codes = services.confirm_totp(user, current_code(device))
    assert codes is not None
    return TOTPDevice.objects.get(pk=device.pk), codes


def current_code(device, offset=0):
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
    return f"{code:06d}"


@pytest.mark.django_db
def test_login_by_email_or_customer_id_rotates_the_session(client, subscriber):
    """Email or customer ID with the password logs in, with a new session key, listed on the
    security page."""
    client.get("/login/")
    client.session.save()
    before = client.session.session_key
    resp = client.post("/login/", {"username": subscriber.email.upper(), "password": PASSWORD})
    assert resp.status_code == 302 and resp["Location"] == "/panel/"
    assert client.session.session_key != before
    assert LoginSession.objects.filter(user=subscriber,
                                       session_key=client.session.session_key).exists()
    client.post("/logout/")
    resp = client.post("/login/", {"username": subscriber.customer_id, "password": PASSWORD})
    assert resp.status_code == 302


@pytest.mark.django_db
def test_logout_needs_post_and_ends_the_session(client, subscriber):
    """GET /logout/ does nothing; POST signs out and drops the session's listing."""
    web_login(client, subscriber)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert not LoginSession.objects.exists()
    assert client.get("/panel/").status_code == 302


@pytest.mark.django_db
def test_account_lockout_after_repeated_failures(client, subscriber, settings):
    """After LOCKOUT_THRESHOLD wrong passwords the account is locked, even for the right
    password, with a message saying when to retry; after the window it opens again."""
    with clock.freeze(NOON):
        for _ in range(settings.LOCKOUT_THRESHOLD - 1):
            assert web_login(client, subscriber, "wrong-password").status_code == 400
        resp = web_login(client, subscriber, "wrong-password")
        assert resp.status_code == 429 and "try again after" in resp.content.decode()
        resp = web_login(client, subscriber)
        assert resp.status_code == 429
    with clock.freeze(NOON + datetime.timedelta(seconds=settings.LOCKOUT_WINDOW)):
        assert web_login(client, subscriber).status_code == 302


@pytest.mark.django_db
def test_address_lockout_across_accounts(client, subscriber, other_subscriber, settings):
    """Failures from one address against many names lock that address out."""
    settings.LOCKOUT_IP_THRESHOLD = 3
    with clock.freeze(NOON):
        for n in range(3):
            client.post("/login/", {"username": f"nobody{n}@example.test", "password": "x"},
                        REMOTE_ADDR="203.0.113.9")
        resp = web_login(client, other_subscriber, REMOTE_ADDR="203.0.113.9")
        assert resp.status_code == 429
        assert web_login(client, other_subscriber, REMOTE_ADDR="203.0.113.10").status_code == 302


@pytest.mark.django_db
def test_totp_login_flow(client, subscriber):
    """With two-factor on, the password alone does not log in; a wrong code is refused and a
    current TOTP code completes the login, marking the session verified."""
    device, _ = enable_totp(subscriber)
    resp = web_login(client, subscriber)
    assert resp.status_code == 302 and resp["Location"] == "/login/verify/"
    assert client.get("/panel/").status_code == 302  # not logged in yet
    assert client.post("/login/verify/", {"code": "000000"}).status_code == 400
    resp = client.post("/login/verify/", {"code": current_code(device, offset=1)})
    assert resp.status_code == 302 and resp["Location"] == "/panel/"
    resp = client.get("/panel/")
    assert resp.status_code == 200 and resp.context["user"].is_verified()


@pytest.mark.django_db
def test_backup_code_works_once(client, subscriber):
    """A backup code stands in for the app's code, and only once."""
    _, codes = enable_totp(subscriber)
    assert len(codes) == 10
    web_login(client, subscriber)
    assert client.post("/login/verify/", {"code": codes[0]}).status_code == 302
    client.post("/logout/")
    web_login(client, subscriber)
    assert client.post("/login/verify/", {"code": codes[0]}).status_code == 400
    assert client.post("/login/verify/", {"code": codes[1]}).status_code == 302


@pytest.mark.django_db
def test_second_step_without_password_step_goes_back_to_login(client, subscriber):
    """The code page without a fresh password step sends the person back to /login/."""
    enable_totp(subscriber)
    assert client.get("/login/verify/")["Location"] == "/login/"


@pytest.mark.django_db
def test_token_endpoint_issues_a_hashed_token_that_authenticates(client, subscriber):
    """POST /auth/token returns a token (stored only as SHA-256) that authenticates /me."""
    resp = client.post("/api/v1/auth/token", {"email": subscriber.email, "password": PASSWORD},
                       content_type="application/json")
    assert resp.status_code == 200, resp.content
    raw = resp.json()["token"]
    row = ApiToken.objects.get()
    assert row.key_hash == services.token_hash(raw) and raw not in row.key_hash
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200 and me.json()["customer_id"] == subscriber.customer_id


@pytest.mark.django_db
def test_expired_or_unknown_token_is_rejected(client, subscriber, settings):
    """A token past its expiry, or a made-up one, answers 401 problem."""
    raw, row = services.issue_api_token(subscriber)
    later = row.expires_at + datetime.timedelta(seconds=1)
    with clock.freeze(later):
        resp = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert resp.status_code == 401 and resp["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer made-up").status_code == 401


@pytest.mark.django_db
def test_token_endpoint_wrong_password_and_lockout(client, subscriber, settings):
    """Wrong passwords answer 401 and count toward the shared lockout, then 429 with
    Retry-After; the login page is locked too."""
    body = {"email": subscriber.email, "password": "wrong-password-x"}
    with clock.freeze(NOON):
        for _ in range(settings.LOCKOUT_THRESHOLD - 1):
            resp = client.post("/api/v1/auth/token", body, content_type="application/json")
            assert resp.status_code == 401 and resp.json()["code"] == "invalid_credentials"
        resp = client.post("/api/v1/auth/token", body, content_type="application/json")
        assert resp.status_code == 429 and int(resp["Retry-After"]) > 0
        assert web_login(client, subscriber).status_code == 429
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_token_endpoint_asks_for_the_second_factor(client, subscriber):
    """With two-factor on, the token needs "otp": missing answers otp_required, a right code
    gives the token."""
    device, _ = enable_totp(subscriber)
    body = {"email": subscriber.email, "password": PASSWORD}
    resp = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert resp.status_code == 401 and resp.json()["code"] == "otp_required"
    resp = client.post("/api/v1/auth/token", {**body, "otp": current_code(device, offset=1)},
                       content_type="application/json")
    assert resp.status_code == 200


@pytest.mark.django_db
def test_session_signed_out_from_security_page_is_gone(client, subscriber):
    """Signing out another session deletes its Django session row; that browser is out."""
    from django.test import Client

    other = Client()
    web_login(other, subscriber)
    web_login(client, subscriber)
    row = LoginSession.objects.get(session_key=other.session.session_key)
    assert client.post(f"/panel/security/sessions/{row.pk}/sign-out/").status_code == 302
    assert not Session.objects.filter(session_key=row.session_key).exists()
    assert other.get("/panel/").status_code == 302
    assert client.get("/panel/").status_code == 200


@pytest.mark.django_db
def test_another_subscribers_session_cannot_be_signed_out(client, subscriber, other_subscriber):
    """Signing out a session of another subscriber answers 404 and leaves it alone."""
    from django.test import Client

    theirs = Client()
    web_login(theirs, other_subscriber)
    row = LoginSession.objects.get(user=other_subscriber)
    web_login(client, subscriber)
    assert client.post(f"/panel/security/sessions/{row.pk}/sign-out/").status_code == 404
    assert LoginSession.objects.filter(pk=row.pk).exists()
    assert theirs.get("/panel/").status_code == 200


@pytest.mark.django_db
def test_sign_out_all_other_sessions(client, subscriber):
    """"Sign out all other sessions" keeps only the current one."""
    from django.test import Client

    for _ in range(2):
        web_login(Client(), subscriber)
    web_login(client, subscriber)
    assert LoginSession.objects.filter(user=subscriber).count() == 3
    client.post("/panel/security/sessions/sign-out-others/")
    assert list(LoginSession.objects.values_list("session_key", flat=True)) == [
        client.session.session_key]
    assert Session.objects.count() == 1
