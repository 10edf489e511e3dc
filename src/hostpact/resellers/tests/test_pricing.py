"""A reseller's customers see and pay the reseller's prices: its own price for a plan, else
the catalogue's plus its markup, on every page and call that shows or charges an amount."""

from decimal import Decimal

import pytest
from django.test import Client

from hostpact.accounts.services import issue_api_token
from hostpact.billing.catalogue import realm_amount
from hostpact.billing.models import Invoice, Order, Service, TldPrice
from hostpact.billing.services import issue_renewal_invoice, quote_amount
from hostpact.billing.templatetags.billing import inr
from hostpact.core import clock
from hostpact.resellers import hosts
from hostpact.resellers.pricing import with_markup
from hostpact.resellers.services.brand import save_settings, set_price
from hostpact.resellers.tests.helpers import make_customer, make_reseller
from hostpact.storefront.tests.helpers import add_domain, add_plan, plan_price

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_hosts():
    hosts.forget()
    yield
    hosts.forget()


@pytest.fixture
def shop():
    """A reseller with a 10 % markup and its own price for the Business plan, monthly."""
    reseller = make_reseller(name="Markup Hosting", host="markup.example")
    save_settings(reseller, {"markup_percent": Decimal("10.00")}, actor="system")
    set_price(reseller, plan_price("shared-business", "monthly"), Decimal("333.00"),
              actor="system")
    hosts.forget()
    return reseller


def gross(amount: Decimal) -> str:
    return inr(quote_amount(amount)["total"])


def test_markup_rounds_to_the_paisa_half_up():
    """The catalogue's amount plus the markup is rounded to the paisa, half up."""
    assert with_markup(Decimal("0.05"), Decimal("10")) == Decimal("0.06")
    assert with_markup(Decimal("1499.00"), Decimal("10")) == Decimal("1648.90")
    assert with_markup(Decimal("149.00"), Decimal("0")) == Decimal("149.00")


def test_our_realm_pays_the_catalogue(shop):
    """Our own realm (None) pays the catalogue amount, whatever resellers charge."""
    price = plan_price()
    assert realm_amount(None, price.amount, price=price, kind="plan") == price.amount


def test_the_resellers_home_page_shows_its_prices_and_ours_shows_the_catalogue(shop):
    """The reseller's home page shows the Starter plan marked up and the Business plan at the
    reseller's own price; our home page shows the catalogue's."""
    starter, business = plan_price(), plan_price("shared-business", "monthly")
    theirs = Client(HTTP_HOST="markup.example").get("/").content.decode()
    ours = Client().get("/").content.decode()
    assert gross(Decimal("1648.90")) in theirs and gross(Decimal("333.00")) in theirs
    assert gross(starter.amount) not in theirs and gross(business.amount) not in theirs
    assert gross(starter.amount) in ours and gross(business.amount) in ours


def test_domain_search_shows_the_marked_up_registration(shop):
    """The search results on the reseller's host show the TLD's registration with markup."""
    register = TldPrice.objects.get(tld="test").register
    page = Client(HTTP_HOST="markup.example").get("/domains/", {"q": "my-shop.test"})
    assert gross(with_markup(register, Decimal("10"))) in page.content.decode()


def test_the_catalogue_api_answers_the_resellers_prices_on_its_host(shop):
    """``GET /api/v1/catalogue`` on the reseller's host: every amount is the reseller's."""
    body = Client(HTTP_HOST="markup.example").get("/api/v1/catalogue").json()
    prices = {(p["code"], c["cycle"]): c for p in body["products"] for c in p["prices"]}
    assert prices[("shared-starter", "annual")]["amount"] == "1648.90"
    assert prices[("shared-business", "monthly")]["amount"] == "333.00"
    assert prices[("shared-business", "monthly")]["total"] == str(
        quote_amount(Decimal("333.00"))["total"])
    tlds = {t["tld"]: t for t in body["tlds"]}
    renew = TldPrice.objects.get(tld="test").renew
    assert tlds["test"]["renew"]["amount"] == str(with_markup(renew, Decimal("10")))
    ours = Client().get("/api/v1/catalogue").json()
    assert {(p["code"], c["cycle"]): c["amount"] for p in ours["products"]
            for c in p["prices"]}[("shared-starter", "annual")] == "1499.00"


def test_cart_and_checkout_charge_what_the_cart_showed(shop, django_capture_on_commit_callbacks):
    """A customer's cart on the reseller's host totals the reseller's prices, and checkout
    invoices and charges exactly that total."""
    customer = make_customer(shop)
    client = Client(HTTP_HOST="markup.example")
    client.force_login(customer)
    add_plan(client, plan_price("shared-business", "monthly"))
    add_plan(client)
    cart = client.get("/cart/")
    total = cart.context["priced"].total
    expected = (quote_amount(Decimal("333.00"))["total"]
                + quote_amount(Decimal("1648.90"))["total"])
    assert total == expected and inr(expected) in cart.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post("/checkout/", {})
    assert resp.status_code == 302, resp.content[-2000:]
    [invoice] = Invoice.objects.filter(user=customer)
    assert invoice.status == Invoice.Status.PAID and invoice.total == expected
    assert sorted(line.unit_amount for line in invoice.lines.all()) == [
        Decimal("333.00"), Decimal("1648.90")]


def test_a_domain_in_the_cart_costs_the_marked_up_registration(shop):
    """A registration in a visitor's cart on the reseller's host: the TLD's price with markup,
    per year."""
    client = Client(HTTP_HOST="markup.example")
    add_domain(client, "marked-up.test", years=2)
    [line] = client.get("/cart/").context["priced"].lines
    register = TldPrice.objects.get(tld="test").register
    assert line.line.amount == with_markup(register, Decimal("10")) and line.line.quantity == 2


def test_the_order_api_charges_the_resellers_price(shop):
    """``POST /api/v1/orders`` by a reseller's customer invoices the reseller's price; an
    order of ours invoices the catalogue's."""
    customer = make_customer(shop)
    raw, _ = issue_api_token(customer)
    resp = Client(HTTP_HOST="markup.example", HTTP_AUTHORIZATION=f"Bearer {raw}").post(
        "/api/v1/orders", {"price_id": plan_price().pk}, content_type="application/json")
    assert resp.status_code == 201, resp.content
    order = Order.objects.get(user=customer)
    assert order.subtotal == Decimal("1648.90")
    assert order.invoice_lines.get().unit_amount == Decimal("1648.90")


def test_a_renewal_invoice_is_at_the_resellers_price(shop):
    """The next term of a reseller's customer's service is invoiced at the reseller's price."""
    from hostpact.billing.services import pay_invoice, place_order

    customer = make_customer(shop)
    placed = place_order(customer, plan_price("shared-business", "monthly"), "system")
    assert placed.invoice.lines.get().unit_amount == Decimal("333.00")
    pay_invoice(placed.invoice, "system")
    service = Service.objects.get(pk=placed.service.pk)
    assert service.renews_at is not None
    with clock.freeze(service.renews_at):
        invoice = issue_renewal_invoice(service.pk)
    assert invoice.lines.get().unit_amount == Decimal("333.00")
    assert invoice.total == quote_amount(Decimal("333.00"))["total"]
