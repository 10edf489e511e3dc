"""In Chromium: "Reject all", then cart, checkout with sign-up, payment, logging out and in,
on required cookies alone (C12)."""

import re

import pytest

from hostpact.billing.catalogue import ensure_default_catalogue
from hostpact.privacy import cookies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, settings):
    # A transactional test starts from tables emptied by the one before.
    ensure_default_catalogue()
    settings.SITE_URL = live_server.url
    settings.SIGNUP_RATE_PER_HOUR = 1000
    return live_server.url


def fill_signup(page):
    page.get_by_label("Full name").fill("Tara Rejectall")
    page.get_by_label("Email address").fill("tara.reject@example.test")
    page.get_by_label("Phone number").fill("+91 98765 44444")
    page.get_by_label("Date of birth").fill("1990-05-06")
    page.get_by_label("Address line 1").fill("9 Refusal Road")
    page.get_by_label("City").fill("Kochi")
    page.get_by_label("State or region").fill("Kerala")
    page.get_by_label("Postal code").fill("682001")
    page.get_by_label("Country").select_option("IN")
    page.get_by_label("Password").fill("reject-all-12345")
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_label("Expiry month").fill("8")
    page.get_by_label("Expiry year").fill("2031")
    page.get_by_label("Security code (CVC)").fill("123")


@pytest.mark.commitment("C12")
def test_reject_all_then_buy_log_out_and_in_with_required_cookies_only(page, site):
    """After "Reject all" a visitor buys a plan, signing up at checkout, pays, logs out and in
    (the login page saying why "Remember me" is off); the browser holds only required
    cookies and asked no host but the platform."""
    hosts = set()
    page.on("request", lambda r: hosts.add(re.match(r"https?://[^/]+", r.url).group(0)))
    page.goto(f"{site}/")
    page.get_by_role("button", name=re.compile("Reject all", re.I)).first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("button, not loaded").is_visible()
    page.get_by_role("button", name="Add Starter to cart").click()
    page.wait_for_url(re.compile(r"/cart/$"))
    page.get_by_role("link", name="Check out").click()
    fill_signup(page)
    page.get_by_role("button", name="Create my account and continue").click()
    page.wait_for_url(re.compile(r"/checkout/$"))
    page.get_by_role("button", name="Pay now").click()
    page.wait_for_url(re.compile(r"/checkout/done/\d+/$"))

    page.get_by_role("button", name="Log out").click()
    page.goto(f"{site}/login/")
    remember = page.get_by_label("Remember my email address or customer ID on this device")
    assert remember.is_disabled()
    assert page.get_by_text("needs functional cookies, which you have not allowed").is_visible()
    page.get_by_label("Email or customer ID").fill("tara.reject@example.test")
    page.get_by_label("Password").fill("reject-all-12345")
    page.get_by_role("button", name=re.compile("Log in", re.I)).click()
    page.wait_for_url(re.compile(r"/panel/"))
    page.goto(f"{site}/panel/services/")
    assert page.get_by_text("Starter").first.is_visible()

    names = {c["name"] for c in page.context.cookies()}
    assert "sessionid" in names and "hp_consent" in names
    assert all(cookies.cookie(n) and cookies.cookie(n).required for n in names), names
    assert hosts == {site}
