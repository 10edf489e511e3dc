"""The dashboard's domains: soonest expiry first, a warning within 30 days, links to each."""

import datetime

import pytest
from django.urls import reverse

from hostpact.core import clock
from hostpact.domains.tests.helpers import register

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)


def test_domains_are_listed_soonest_expiry_first_with_a_warning(client, subscriber,
                                                                 other_subscriber):
    """Domains expiring within 30 days say in how many days; others show their date; each
    links to its page; another subscriber's domain is not there."""
    with clock.freeze(START):
        register(subscriber, "later-dash.test", years=3)
        register(subscriber, "soon-dash.test", years=1)
        register(subscriber, "bücher-dash.test", years=2)
        register(other_subscriber, "theirs-dash.test")
    client.force_login(subscriber)
    with clock.freeze(START + datetime.timedelta(days=365 - 12)):
        body = client.get(reverse("panel:dashboard")).content.decode()
    order = [body.index(n) for n in ("soon-dash.test", "bücher-dash.test", "later-dash.test")]
    assert order == sorted(order)
    assert "expires in 12 days" in body
    assert "expires on 1 Mar 2028" in body
    assert reverse("domains:detail", args=["soon-dash.test"]) in body
    assert "theirs-dash.test" not in body
    assert reverse("domains:list") in body


def test_without_domains_the_dashboard_offers_the_search(client, subscriber):
    """A subscriber without domains is pointed to the domain search."""
    client.force_login(subscriber)
    body = client.get(reverse("panel:dashboard")).content.decode()
    assert "No domains yet" in body and reverse("storefront:domains") in body
