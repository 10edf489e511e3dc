"""The back office's resellers: list, create through the service, approve and suspend."""

import pytest
from django.test import Client

from hostpact.resellers.models import Reseller
from hostpact.resellers.tests.helpers import make_customer, make_reseller, make_staff

pytestmark = pytest.mark.django_db
LIST = "/admin/resellers/reseller/"


def staff_client(*groups) -> Client:
    client = Client()
    client.force_login(make_staff(groups=groups))
    return client


def test_the_list_shows_state_country_hosts_and_customers():
    """Support staff see each reseller with its hosts and its customers' count."""
    reseller = make_reseller(name="Listed Hosting", host="listed.example", country="DE")
    make_customer(reseller)
    make_customer(reseller)
    page = staff_client("support").get(LIST).content.decode()
    assert "Listed Hosting" in page and "listed.example" in page
    assert '<td class="field-customers">2</td>' in page


def test_staff_without_the_role_cannot_open_it():
    """A marketing staff member gets 403."""
    assert staff_client("marketing").get(LIST).status_code == 403


def test_create_goes_through_the_service_and_approves():
    """The add form makes an approved reseller with its host; a bad host names the field."""
    client = staff_client("support")
    resp = client.post(f"{LIST}add/", {"name": "New Hosting", "host": "new.example",
                                       "country": "IN"})
    reseller = Reseller.objects.get(name="New Hosting")
    assert resp.status_code == 302 and reseller.state == "approved"
    bad = client.post(f"{LIST}add/", {"name": "Bad", "host": "not a host", "country": "IN"})
    assert bad.status_code == 400 and 'id="id_host_error"' in bad.content.decode()
    assert not Reseller.objects.filter(name="Bad").exists()


def test_suspend_and_approve_actions():
    """The actions run the services: suspended, then approved again."""
    reseller = make_reseller()
    client = staff_client("compliance")
    client.post(LIST, {"action": "suspend", "_selected_action": [reseller.pk]})
    reseller.refresh_from_db()
    assert reseller.state == "suspended"
    client.post(LIST, {"action": "approve", "_selected_action": [reseller.pk]})
    reseller.refresh_from_db()
    assert reseller.state == "approved"
