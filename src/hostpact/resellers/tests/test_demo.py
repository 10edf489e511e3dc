"""The demo reseller of ``make run``: its host, its owner and its own customer."""

import pytest
from django.test import Client

from hostpact.accounts.models import User
from hostpact.resellers import seeding
from hostpact.resellers.models import Membership, Reseller

pytestmark = pytest.mark.django_db


def test_demo_reseller_is_created_once_with_owner_and_customer():
    """Running the seeding twice makes one reseller, one owner and one customer; the customer
    shares the demo subscriber's address but is an account of the reseller's realm."""
    first = seeding.ensure_demo_reseller()
    second = seeding.ensure_demo_reseller()
    assert all(line.endswith("exists") for line in second), second
    assert "created" in first[0]
    reseller = Reseller.objects.get(name=seeding.NAME)
    assert reseller.state == Reseller.State.APPROVED
    assert reseller.hosts.get().host == seeding.HOST
    owner = Membership.objects.get(reseller=reseller).user
    assert owner.realm_id is None
    assert User.objects.filter(realm_id=reseller.realm_id).count() == 1


def test_demo_customer_logs_in_on_the_reseller_host_only():
    """The reseller's customer signs in on reseller.hostpact.test; the same credentials on the
    platform's own host are refused."""
    seeding.ensure_demo_reseller()
    creds = {"username": seeding.CUSTOMER_EMAIL, "password": seeding.CUSTOMER_PASSWORD}
    there = Client(HTTP_HOST=seeding.HOST).post("/login/", creds)
    assert there.status_code == 302
    ours = Client().post("/login/", creds)
    assert ours.status_code == 400 and "_auth_user_id" not in ours.client.session
