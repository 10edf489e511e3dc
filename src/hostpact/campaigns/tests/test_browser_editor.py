"""The campaign editor in Chromium: marketing staff write a campaign, preview it, see whom it
reaches, and schedule it, with JavaScript off."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client

from hostpact.campaigns.models import Campaign
from hostpact.campaigns.tests.helpers import subscribed
from hostpact.core import clock
from hostpact.testing.factories import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "java_script_enabled": False}


def test_marketing_staff_write_preview_count_and_schedule(page, live_server):
    """Write, preview (the rendered body and the count), then schedule for tomorrow."""
    for _ in range(2):
        subscribed()
    Group.objects.get_or_create(name="marketing")  # a flushed database lost the migration's roles
    client = Client()
    client.force_login(make_staff(groups=["marketing"]))
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/admin/campaigns/campaign/add/")
    page.get_by_label("List").select_option("promotions")
    page.get_by_label("Subject line").fill("Winter offer")
    page.get_by_label("Body (Markdown)").fill("## Half price\n\nSee [the plans]"
                                             "(https://hostpact.test/plans/).")
    page.get_by_label("Segment: country of the address").fill("IN")
    page.get_by_role("button", name="Preview").click()
    assert page.locator(".campaign-preview h2").inner_text() == "Half price"
    assert "This campaign reaches fewer than 10 subscribers now." in (
        page.locator(".campaign-reach").inner_text())
    assert page.locator(".preview-subject").inner_text() == "Winter offer"
    tomorrow = (clock.now() + datetime.timedelta(days=1)).astimezone(
        datetime.timezone(datetime.timedelta(hours=5, minutes=30)))
    page.get_by_label("Send at (for Schedule)").fill(tomorrow.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Schedule").click()
    assert "The campaign is scheduled." in page.content()
    campaign = Campaign.objects.get()
    assert campaign.status == Campaign.Status.SCHEDULED
    assert campaign.segment == {"country": "IN"}
    assert abs(campaign.scheduled_at - tomorrow) < datetime.timedelta(minutes=1)
