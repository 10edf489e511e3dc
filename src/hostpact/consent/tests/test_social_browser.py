"""In Chromium: the share widget's provider hears nothing until the visitor clicks (C05)."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.commitment("C05")
def test_the_provider_is_not_contacted_before_the_click_and_loads_after_it(
        page, live_server, social_provider):
    """A fresh visitor who rejects all sees the placeholder and the browser asks the stand-in
    provider for nothing; clicking the placeholder's button grants functional cookies, the
    page comes back and the provider's script and frame load and run."""
    provider_hosts = []
    page.on("request", lambda r: provider_hosts.append(r.url)
            if r.url.startswith(social_provider.origin) else None)
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name=re.compile("Reject all", re.I)).first.click()
    page.wait_for_load_state("networkidle")
    placeholder = page.locator("[data-social=share]")
    assert "Stand-in Share button, not loaded" in placeholder.inner_text()
    assert social_provider.requests == [] and provider_hosts == []
    assert social_provider.origin not in page.content()

    page.get_by_role("button", name="Allow functional cookies and load Stand-in Share").click()
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_selector("html[data-stand-in-loaded=yes]")
    assert "/widget.js" in social_provider.requests
    page.frame_locator("[data-social=share] iframe").get_by_text("Share this page").wait_for()
    assert "/frame" in social_provider.requests
