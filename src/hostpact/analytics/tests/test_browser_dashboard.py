"""The back office's home page in Chromium: the widgets' charts and tables render, no
script needed."""

import pytest
from django.conf import settings
from django.test import Client

from hostpact.analytics import requestlog
from hostpact.testing.factories import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_shows_each_widget_with_its_chart_and_table(page, live_server):
    """A superuser's home page has a heading per widget, SVG charts hidden from screen
    readers and captioned tables they read instead, with JavaScript off."""
    Client().get("/policy/")
    requestlog.writer.flush()
    client = Client()
    client.force_login(make_staff(superuser=True))
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/admin/")
    assert page.title().endswith("hostpact back office")
    headings = page.locator(".dashboard-widget h2").all_inner_texts()
    assert "Requests, errors and latency" in headings and "Visits and repeat visits" in headings
    assert page.locator(".dashboard-widget svg[aria-hidden=true]").count() >= 3
    assert page.get_by_role("table", name="Requests and errors by day").is_visible()
