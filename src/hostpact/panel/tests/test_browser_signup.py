"""A person signs up, confirms the email, logs in and corrects a phone number, in Chromium."""

import re

import pytest

from hostpact.core.mail import deliver_queued

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, settings, mail_catcher):
    settings.SITE_URL = live_server.url
    settings.SIGNUP_RATE_PER_HOUR = 1000
    return live_server.url


@pytest.mark.commitment("C32")
@pytest.mark.commitment("C33")
def test_signup_confirm_login_and_correct_phone(page, site, mail_catcher):
    """Sign-up by the form's labels, the emailed link, login and a phone correction all work."""
    page.goto(f"{site}/signup/")
    page.get_by_label("Full name").fill("Nisha Browsertest")
    page.get_by_label("Email address").fill("nisha.browser@example.test")
    page.get_by_label("Phone number").fill("+91 98765 11111")
    page.get_by_label("Date of birth").fill("1992-07-14")
    page.get_by_label("Address line 1").fill("21 Chromium Marg")
    page.get_by_label("City").fill("Bengaluru")
    page.get_by_label("State or region").fill("Karnataka")
    page.get_by_label("Postal code").fill("560001")
    page.get_by_label("Country").select_option("IN")
    page.get_by_label("Password").fill("browser-pass-12345")
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_label("Expiry month").fill("8")
    page.get_by_label("Expiry year").fill("2031")
    page.get_by_label("Security code (CVC)").fill("123")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(re.compile(r"/panel/"))

    assert deliver_queued() == 1
    [message] = mail_catcher.messages()
    assert message.headers()["to"] == "nisha.browser@example.test"
    link = re.search(r"https?://\S+/verify-email/\S+/", message.text()).group(0)
    page.goto(link)
    assert page.get_by_text(re.compile("confirmed", re.I)).first.is_visible()

    page.get_by_role("button", name="Log out").click()
    page.goto(f"{site}/login/")
    page.get_by_label("Email or customer ID").fill("nisha.browser@example.test")
    page.get_by_label("Password").fill("browser-pass-12345")
    page.get_by_role("button", name=re.compile("Log in", re.I)).click()
    page.wait_for_url(re.compile(r"/panel/"))

    page.goto(f"{site}/panel/information/")
    assert page.get_by_text("+919876511111").first.is_visible()
    page.get_by_role("link", name=re.compile("Correct contact")).click()
    page.get_by_label("Phone number").fill("+91 98765 22222")
    page.get_by_role("button", name=re.compile("Save", re.I)).click()
    page.goto(f"{site}/panel/information/")
    assert page.get_by_text("+919876522222").first.is_visible()
    assert page.get_by_text("+919876511111").count() == 0
