"""The billing API: catalogue, orders, the caller's invoices, paying them."""

import pytest

from hostpact.billing import services
from hostpact.billing.models import Invoice, Order, Service
from hostpact.billing.tests.helpers import DECLINED_LATER_CARD, price
from hostpact.testing.factories import make_subscriber


def actor(user):
    return f"subscriber:{user.customer_id}"


def post(client, url, body=None, **extra):
    return client.post(url, body or {}, content_type="application/json", **extra)


@pytest.fixture
def api(client, subscriber):
    client.force_login(subscriber)
    return client


@pytest.mark.django_db
def test_products_are_public_with_prices_as_decimal_strings(client):
    """GET /products needs no login and lists each product's prices per cycle in INR."""
    body = client.get("/api/v1/products").json()
    starter = next(p for p in body if p["code"] == "shared-starter")
    assert starter["kind"] == "shared_hosting"
    assert {(p["cycle"], p["amount"], p["currency"]) for p in starter["prices"]} == {
        ("monthly", "149.00", "INR"), ("annual", "1499.00", "INR")}


@pytest.mark.django_db
def test_billing_routes_need_credentials(client):
    """Orders and invoices answer 401 problem+json without a session or token."""
    for resp in (post(client, "/api/v1/orders", {"price_id": price().pk}),
                 client.get("/api/v1/invoices"), client.get("/api/v1/invoices/INV-2026-000001"),
                 post(client, "/api/v1/invoices/INV-2026-000001/pay")):
        assert resp.status_code == 401
        assert resp["Content-Type"] == "application/problem+json"
    assert not Order.objects.exists()


@pytest.mark.django_db
@pytest.mark.commitment("C01")
def test_order_then_pay_through_the_api(api, subscriber):
    """POST /orders answers 201 with the order and its open invoice (GST line); paying it
    answers the paid invoice with its payment; the service is active."""
    resp = post(api, "/api/v1/orders", {"price_id": price("vps-8gb", "quarterly").pk})
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["order"]["product"] == "vps-8gb" and body["order"]["status"] == "pending"
    invoice = body["invoice"]
    assert invoice["number"].startswith("INV-") and invoice["status"] == "open"
    assert (invoice["subtotal"], invoice["tax_rate"], invoice["tax"], invoice["total"]) == (
        "7999.00", "0.18", "1439.82", "9438.82")
    assert invoice["billed_to"]["name"] == subscriber.profile.name
    assert invoice["lines"] == [{"description": "VPS 8 GB (quarterly)", "quantity": 1,
                                 "unit_amount": "7999.00", "amount": "7999.00"}]

    listed = api.get("/api/v1/invoices").json()
    assert listed["count"] == 1 and listed["items"][0]["number"] == invoice["number"]
    assert api.get(f"/api/v1/invoices/{invoice['number']}").json()["total"] == "9438.82"

    paid = post(api, f"/api/v1/invoices/{invoice['number']}/pay")
    assert paid.status_code == 200
    assert paid.json()["status"] == "paid" and paid.json()["payments"][0]["amount"] == "9438.82"
    assert Service.objects.get(user=subscriber).status == Service.Status.ACTIVE
    again = post(api, f"/api/v1/invoices/{invoice['number']}/pay")
    assert again.status_code == 409 and again.json()["code"] == "not_open"


@pytest.mark.django_db
def test_bad_order_bodies_answer_400_naming_the_field(api):
    """Missing, wrong-typed or unknown price_id and out-of-range quantity: 400 problem with the
    field named, and no order."""
    cases = [({}, "price_id"), ({"price_id": "abc"}, "price_id"), ({"price_id": 999999},
             "price_id"), ({"price_id": price("email-business").pk, "quantity": 0}, "quantity"),
             ({"price_id": price().pk, "quantity": 3}, "quantity")]
    for body, field in cases:
        resp = post(api, "/api/v1/orders", body)
        assert resp.status_code == 400, (body, resp.content)
        assert resp["Content-Type"] == "application/problem+json"
        assert field in resp.json()["errors"], (body, resp.json())
    resp = api.post("/api/v1/orders", "{not json", content_type="application/json")
    assert resp.status_code == 400
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_another_subscribers_invoice_answers_404_in_the_api(api, subscriber):
    """Viewing or paying someone else's invoice: 404 problem, never its data; the list holds
    only the caller's invoices."""
    other = make_subscriber()
    theirs = services.place_order(other, price(), actor(other)).invoice
    mine = services.place_order(subscriber, price(), actor(subscriber)).invoice
    resp = api.get(f"/api/v1/invoices/{theirs.number}")
    assert resp.status_code == 404 and other.profile.name not in resp.content.decode()
    assert post(api, f"/api/v1/invoices/{theirs.number}/pay").status_code == 404
    assert Invoice.objects.get(pk=theirs.pk).status == Invoice.Status.OPEN
    assert [i["number"] for i in api.get("/api/v1/invoices").json()["items"]] == [mine.number]


@pytest.mark.django_db
@pytest.mark.commitment("C16")
def test_declined_charge_answers_402_and_the_invoice_stays_open(client):
    """The bank declines: 402 problem with code card_declined; the invoice is still open."""
    user = make_subscriber(card_number=DECLINED_LATER_CARD)
    invoice = services.place_order(user, price(), actor(user)).invoice
    client.force_login(user)
    resp = post(client, f"/api/v1/invoices/{invoice.number}/pay")
    assert resp.status_code == 402 and resp.json()["code"] == "card_declined"
    assert "declined" in resp.json()["detail"]
    assert client.get(f"/api/v1/invoices/{invoice.number}").json()["status"] == "open"


@pytest.mark.django_db
def test_invoice_list_pages_with_limit_and_offset(api, subscriber):
    """limit/offset page the list; a limit over 100 is a 400 naming it."""
    for _ in range(3):
        services.place_order(subscriber, price(), actor(subscriber))
    page = api.get("/api/v1/invoices?limit=2&offset=2").json()
    assert page["count"] == 3 and len(page["items"]) == 1
    assert page["items"][0]["number"].endswith("000001")
    resp = api.get("/api/v1/invoices?limit=500")
    assert resp.status_code == 400 and "limit" in resp.json()["errors"]
