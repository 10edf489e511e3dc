"""The back office of reseller removal requests (C39): compliance staff see every reseller's
requests, overdue first and marked in words, with business days left and reminders sent,
filter them, and carry one out after confirming; other staff are turned away."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse

from hostpact.core import clock, dashboard
from hostpact.resellers.models import RemovalRequest
from hostpact.resellers.services import removals
from hostpact.resellers.tests.helpers import make_customer, make_reseller, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.commitment("C39")]

T0 = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
LATER = datetime.datetime(2026, 4, 10, 10, 0, tzinfo=datetime.UTC)  # 28 business days (IN)


def staff(role="compliance"):
    Group.objects.get_or_create(name=role)
    return make_staff(groups=[role])


def two_requests():
    """An old request (overdue by LATER) at one reseller and a fresh one at another."""
    first, second = make_reseller(name="First Shop"), make_reseller(name="Second Shop")
    with clock.freeze(T0):
        old, _ = removals.request_removal(first, make_customer(first), actor="system")
        old.reminded = [10, 20, 25]  # as the task leaves it at 25 business days
        old.save(update_fields=["reminded"])
    with clock.freeze(LATER - datetime.timedelta(days=1)):
        new, _ = removals.request_removal(second, make_customer(second), actor="system")
    return old, new


def test_the_list_puts_overdue_requests_first_and_says_so(client):
    """Sorted overdue first, then by due date; the overdue one is marked by the word
    "Overdue", and the reminders sent and business days left are shown."""
    old, new = two_requests()
    client.force_login(staff())
    with clock.freeze(LATER):
        page = client.get(reverse("resellers:backoffice_removals"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index(f"R-{old.pk}") < html.index(f"R-{new.pk}")
    assert "Overdue</strong>" in html and "escalated at 25" in html
    assert old.customer_id in html and "Second Shop" in html


def test_the_filters_pick_by_state_and_reseller(client):
    """Overdue shows only the overdue request; a reseller filter shows only its own; an
    unknown reseller is a form error, not a failure."""
    old, new = two_requests()
    client.force_login(staff())
    url = reverse("resellers:backoffice_removals")
    with clock.freeze(LATER):
        overdue = client.get(url, {"state": "overdue"}).content.decode()
        theirs = client.get(url, {"reseller": new.reseller_id}).content.decode()
        bad = client.get(url, {"reseller": "999999"})
    assert f"R-{old.pk}" in overdue and f"R-{new.pk}" not in overdue
    assert f"R-{new.pk}" in theirs and f"R-{old.pk}" not in theirs
    assert bad.status_code == 400 and "Select a valid choice" in bad.content.decode()


def test_other_staff_are_sent_to_log_in(client):
    """Support staff cannot open the removal requests."""
    client.force_login(staff("support"))
    response = client.get(reverse("resellers:backoffice_removals"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_carrying_out_needs_the_confirmation_then_completes(client):
    """Without the box ticked nothing happens (400, the reason shown); with it the customer is
    erased and the page shows the report."""
    reseller = make_reseller()
    rr, _ = removals.request_removal(reseller, make_customer(reseller), actor="system")
    client.force_login(staff())
    url = reverse("resellers:backoffice_removal", args=[rr.pk])
    refused = client.post(url, {})
    assert refused.status_code == 400 and "Tick the box" in refused.content.decode()
    assert RemovalRequest.objects.get(pk=rr.pk).state == RemovalRequest.State.OPEN
    done = client.post(url, {"confirm": "on"}, follow=True)
    assert done.status_code == 200
    assert RemovalRequest.objects.get(pk=rr.pk).state == RemovalRequest.State.DONE
    html = done.content.decode()
    assert "Removed" in html and "Carry out the removal</button>" not in html


def test_the_home_page_widget_counts_open_and_overdue_requests():
    """The back office's home shows compliance the open and overdue counts."""
    two_requests()
    request = RequestFactory().get("/admin/")
    request.user = staff()
    with clock.freeze(LATER):
        shown = dict((w.key, html) for w, html in dashboard.widgets_for(request))
    assert "2 open" in shown["resellers.removals"]
    assert "1 overdue" in shown["resellers.removals"]
