""""Remember me" on the login page: a functional cookie with the name as typed (C09)."""

import re

import pytest

from hostpact.accounts.tests.helpers import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.commitment("C09")]
LABEL = "Remember my email address or customer ID on this device"


def choose(client, *categories):
    """Save a cookie choice through the consent form, as the banner's form does."""
    resp = client.post("/consent/", {"action": "save", "categories": list(categories)})
    assert resp.status_code == 302


def log_in(client, name, remember=True):
    data = {"username": name, "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    resp = client.post("/login/", data)
    assert resp.status_code == 302, resp.content[-2000:]
    return resp


def checkbox(page: str) -> str:
    return re.search(r'<input type="checkbox" name="remember"[^>]*>', page).group(0)


def test_remembered_name_is_kept_without_the_password_and_fills_the_form(client, subscriber):
    """With functional cookies allowed, a ticked box keeps the name as typed in an HttpOnly,
    SameSite=Lax cookie for a year; no Set-Cookie of the login holds the password; the next
    login page is filled in with the name and the box ticked."""
    choose(client, "functional")
    resp = log_in(client, subscriber.email)
    raw = resp.cookies.output()
    assert PASSWORD not in raw
    morsel = resp.cookies["hp_username"]
    assert morsel.value == subscriber.email
    assert morsel["httponly"] and morsel["samesite"] == "Lax"
    assert morsel["max-age"] == 365 * 24 * 3600
    client.post("/logout/")
    page = client.get("/login/").content.decode()
    assert f'value="{subscriber.email}"' in page
    assert "checked" in checkbox(page) and "disabled" not in checkbox(page)
    assert PASSWORD not in page


def test_customer_id_is_remembered_as_typed_and_unticking_forgets_it(client, subscriber):
    """A customer ID typed to log in is what is remembered; logging in later with the box
    unticked deletes the cookie."""
    choose(client, "functional")
    resp = log_in(client, subscriber.customer_id)
    assert resp.cookies["hp_username"].value == subscriber.customer_id
    client.post("/logout/")
    resp = log_in(client, subscriber.customer_id, remember=False)
    assert resp.cookies["hp_username"]["max-age"] == 0
    client.post("/logout/")
    assert subscriber.customer_id not in client.get("/login/").content.decode()


def test_a_failed_login_remembers_nothing(client, subscriber):
    """A name whose password did not match is not kept."""
    choose(client, "functional")
    resp = client.post("/login/", {"username": subscriber.email, "password": "not-it-at-all",
                                   "remember": "on"})
    assert resp.status_code == 400 and "hp_username" not in resp.cookies


def test_without_functional_consent_the_box_is_disabled_and_says_why(client, subscriber):
    """Without functional consent the box is disabled, the page says why and links to the
    cookie settings, and a posted tick sets no cookie."""
    choose(client, "performance")
    page = client.get("/login/").content.decode()
    assert LABEL in page and "disabled" in checkbox(page)
    assert "needs functional cookies, which you have not allowed" in page
    assert 'href="/consent/">Change your cookie settings</a>' in page
    resp = log_in(client, subscriber.email)
    assert "hp_username" not in resp.cookies


def test_a_kept_name_is_neither_used_nor_kept_once_functional_is_refused(client, subscriber):
    """A cookie left from before the refusal does not fill the form, and the next login
    deletes it."""
    choose(client, "performance")
    client.cookies["hp_username"] = subscriber.email
    assert subscriber.email not in client.get("/login/").content.decode()
    resp = log_in(client, subscriber.email)
    assert resp.cookies["hp_username"]["max-age"] == 0


def test_with_two_factor_the_name_is_remembered_once_the_password_matched(client, subscriber,
                                                                          settings):
    """A subscriber with two-factor has the name remembered on the way to the code step."""
    from hostpact.accounts.tests.test_login import enable_totp

    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    enable_totp(subscriber)
    choose(client, "functional")
    resp = log_in(client, subscriber.customer_id)
    assert resp["Location"] == "/login/verify/"
    assert resp.cookies["hp_username"].value == subscriber.customer_id
