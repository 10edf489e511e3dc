"""Credits in the subscriber's pages and the API: listed with the invoices, and an order they
cover is paid at once."""

from decimal import Decimal

import pytest

from hostpact.billing import services
from hostpact.billing.models import Invoice, Service
from hostpact.billing.tests.helpers import price

pytestmark = pytest.mark.django_db


def grant(user, amount, reference, reason="Banner reward"):
    return services.grant_credit(user, Decimal(amount), reason=reason, reference=reference,
                                 actor="system:referrals")


def test_the_invoices_page_lists_available_credits_and_the_balance(client, subscriber,
                                                                    other_subscriber):
    """The invoices page shows the subscriber's own available credits and what they add up
    to; a cancelled credit and another subscriber's are not there."""
    grant(subscriber, "100.00", "r:1", reason="Banner reward for May")
    grant(subscriber, "25.00", "r:2")
    services.cancel_credit(grant(subscriber, "7.00", "r:3", reason="Withdrawn gesture"),
                           actor="system")
    grant(other_subscriber, "999.00", "r:4", reason="Someone else's")
    client.force_login(subscriber)
    page = client.get("/panel/invoices/").content.decode()
    assert "Credits" in page and "₹125.00" in page and "Banner reward for May" in page
    assert "Withdrawn gesture" not in page and "Someone else" not in page


def test_a_subscriber_without_credits_sees_no_credit_section(client, subscriber):
    """No credit, no credits table."""
    client.force_login(subscriber)
    assert "Credits" not in client.get("/panel/invoices/").content.decode()


def test_an_order_its_credits_cover_is_paid_at_once_in_the_panel(client, subscriber):
    """Ordering Starter with 200.00 of credit lands on a paid invoice that shows the credit
    line, and the service is active: no Pay button, no card charged."""
    grant(subscriber, "200.00", "r:1")
    client.force_login(subscriber)
    resp = client.post(f"/panel/services/order/{price().pk}/", {"quantity": "1"})
    invoice = Invoice.objects.get(user=subscriber)
    assert resp.status_code == 302 and invoice.status == Invoice.Status.PAID
    page = client.get(resp["Location"]).content.decode()
    assert "Credit: Banner reward" in page and "-₹149.00" in page and "Pay now" not in page
    assert Service.objects.get(user=subscriber).status == Service.Status.ACTIVE


def test_an_order_its_credits_cover_answers_paid_in_the_api(client, subscriber):
    """POST /api/v1/orders with enough credit answers 201 with the invoice paid and
    a credit line of -149.00."""
    grant(subscriber, "500.00", "r:1")
    client.force_login(subscriber)
    resp = client.post("/api/v1/orders", {"price_id": price().pk},
                       content_type="application/json")
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["invoice"]["status"] == "paid" and body["invoice"]["total"] == "0.00"
    assert body["order"]["status"] == "paid"
    assert any(line["amount"] == "-149.00" for line in body["invoice"]["lines"])
