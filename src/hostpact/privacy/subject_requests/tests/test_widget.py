"""The data-subject requests' widget on the back office's home page: open and overdue."""

from datetime import timedelta

import pytest
from django.test import Client, RequestFactory

from hostpact.core import clock, dashboard
from hostpact.privacy.subject_requests import widgets
from hostpact.privacy.subject_requests.tests.helpers import record
from hostpact.testing.factories import make_staff

pytestmark = pytest.mark.django_db


def test_the_widget_counts_open_and_overdue_requests(subscriber, other_subscriber):
    """Two open requests, one received 31 days ago: 2 open, 1 overdue, shown on the home page
    with a link to the overdue list."""
    staff = make_staff(groups=["support"])
    record(staff, subscriber, received_at=clock.now() - timedelta(days=31))
    record(staff, other_subscriber)
    context = widgets.requests_context(None)
    assert (context["open"], context["overdue"]) == (2, 1)
    assert sum(context["by_kind"].values()) == 2
    client = Client()
    client.force_login(staff)
    html = client.get("/admin/").content.decode()
    assert "Data-subject requests" in html
    assert 'href="/admin/requests/datasubjectrequest/overdue/">1</a>' in html


def test_only_the_roles_that_handle_requests_see_it():
    """Support and compliance see the widget; marketing does not."""
    def keys(*groups):
        request = RequestFactory().get("/admin/")
        request.user = make_staff(groups=groups)
        return [w.key for w, _ in dashboard.widgets_for(request)]

    assert "requests.open" in keys("support")
    assert "requests.open" in keys("compliance")
    assert "requests.open" not in keys("marketing")
