"""In Chromium: a subscriber logs in, leaves promotions in the preference centre and sees the
change in the history; the sign-up page shows the box that fits the chosen country."""

import re

import pytest

from hostpact.marketing.services import is_subscribed
from hostpact.testing.factories import make_subscriber

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, settings):
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.mark.commitment("C31")
def test_leave_promotions_and_see_the_history(page, site):
    """Log in, open Subscriptions from the menu, leave Promotions, see it in the history."""
    user = make_subscriber(password="browser-pass-12345")
    page.goto(f"{site}/login/")
    page.get_by_label("Email or customer ID").fill(user.email)
    page.get_by_label("Password").fill("browser-pass-12345")
    page.get_by_role("button", name=re.compile("Log in", re.I)).click()
    page.wait_for_url(re.compile(r"/panel/"))
    page.get_by_role("link", name="Subscriptions").click()
    page.get_by_role("button", name="Leave Promotions").click()
    assert page.get_by_text("You left Promotions.").is_visible()
    row = page.locator("tr[data-list=promotions]")
    assert "Not subscribed" in row.inner_text()
    history = page.get_by_role("table", name=re.compile("Every change"))
    first = history.locator("tbody tr").first.inner_text()
    assert "Promotions" in first and "unsubscribed" in first and "control panel" in first
    assert not is_subscribed(user.subject_id, "promotions")


def test_the_sign_up_box_follows_the_country(page, site):
    """With the script, only the box that applies to the chosen country shows."""
    page.goto(f"{site}/signup/")
    decline = page.get_by_label("No newsletters or promotions, please")
    ask = page.get_by_label("Yes, send me newsletters and promotions")
    page.get_by_label("Country").select_option("IN")
    assert decline.is_visible() and not ask.is_visible()
    page.get_by_label("Country").select_option("FR")
    assert ask.is_visible() and not decline.is_visible()
