"""A reseller that may not sell (suspended, or its reseller agreement lapsed) keeps its
storefront and its customers but takes no orders: a notice on every page, and sign-up, adding
to the cart, checkout and the order API refused with the reason."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from hostpact.accounts.services import issue_api_token
from hostpact.billing.models import Order
from hostpact.core import clock
from hostpact.resellers import hosts
from hostpact.resellers.services.resellers import selling_refusal, suspend_reseller
from hostpact.resellers.tests.helpers import make_customer, make_reseller
from hostpact.storefront.tests.helpers import SIGNUP, add_plan, plan_price
from hostpact.testing.factories import signup_data

pytestmark = pytest.mark.django_db
NOTICE = "This shop is not taking orders at the moment."
LAPSED = timedelta(days=4 * 365)  # the agreement a reseller is created with runs three years


@pytest.fixture(autouse=True)
def _fresh_hosts(settings):
    settings.SIGNUP_RATE_PER_HOUR = 1000
    hosts.forget()
    yield
    hosts.forget()


@pytest.fixture
def shop():
    return make_reseller(name="Banyan Hosting", host="banyan.example")


@pytest.fixture
def lapsed():
    """The clock four years on: the reseller agreement is no longer in force."""
    with clock.freeze(clock.now() + LAPSED):
        hosts.forget()
        yield


def test_a_selling_reseller_takes_orders_without_a_notice(shop):
    """Approved with its agreement in force: no notice, and a plan goes into the cart."""
    client = Client(HTTP_HOST="banyan.example")
    assert NOTICE not in client.get("/").content.decode()
    assert add_plan(client).status_code == 302


def test_a_lapsed_agreement_shows_the_notice_and_refuses_orders_with_the_reason(shop, lapsed):
    """The storefront still shows the brand, with the notice; adding to the cart, sign-up
    and checkout answer 403 naming why."""
    reason = selling_refusal(shop)
    assert "agreement" in reason
    client = Client(HTTP_HOST="banyan.example")
    home = client.get("/").content.decode()
    assert NOTICE in home and "Banyan Hosting" in home
    for resp in (add_plan(client), client.get(reverse("panel:signup")),
                 client.post(reverse("panel:signup"), SIGNUP),
                 client.post(reverse("storefront:checkout"), {})):
        assert resp.status_code == 403
        page = resp.content.decode()
        assert NOTICE in page and reason in page


def test_the_order_api_refuses_on_a_lapsed_resellers_host(shop, lapsed):
    """``POST /api/v1/orders`` and ``POST /api/v1/signup`` answer a 403 problem with
    ``code: not_selling`` and the reason; nothing is ordered."""
    customer = make_customer(shop)
    raw, _ = issue_api_token(customer)
    api = Client(HTTP_HOST="banyan.example", HTTP_AUTHORIZATION=f"Bearer {raw}")
    resp = api.post("/api/v1/orders", {"price_id": plan_price().pk},
                    content_type="application/json")
    assert resp.status_code == 403 and resp["Content-Type"] == "application/problem+json"
    assert resp.json()["code"] == "not_selling"
    assert selling_refusal(shop) in resp.json()["detail"]
    assert not Order.objects.filter(user=customer).exists()
    signup = Client(HTTP_HOST="banyan.example").post(
        "/api/v1/signup", signup_data(email="late@example.test"),
        content_type="application/json")
    assert signup.status_code == 403 and signup.json()["code"] == "not_selling"


def test_existing_customers_still_log_in_and_see_their_services(shop, lapsed):
    """A customer of a reseller that may not sell logs in on its host and reaches their
    services, their data and their rights."""
    password = signup_data()["password"]
    customer = make_customer(shop, email="still-here@example.test")
    client = Client(HTTP_HOST="banyan.example")
    resp = client.post(reverse("accounts:login"), {"username": "still-here@example.test",
                                                   "password": password})
    assert resp.status_code == 302 and resp.wsgi_request.user.pk == customer.pk
    for name in ["billing:services", "panel:information", "rights:export"]:
        assert client.get(reverse(name)).status_code == 200, name


def test_a_suspended_reseller_stops_selling_and_our_host_sells_on(shop):
    """Suspending the reseller refuses its orders at once; our own storefront is
    unaffected."""
    suspend_reseller(shop, actor="system")
    hosts.forget()
    client = Client(HTTP_HOST="banyan.example")
    resp = add_plan(client)
    assert resp.status_code == 403 and "suspended" in resp.content.decode()
    ours = Client()
    assert NOTICE not in ours.get("/").content.decode()
    assert add_plan(ours).status_code == 302
