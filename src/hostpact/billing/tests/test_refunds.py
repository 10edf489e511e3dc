"""Refunds: an order's total, GST included, given back once through the gateway."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from hostpact.billing import services
from hostpact.billing.models import Order, Payment, Refund, Service
from hostpact.billing.services import BillingError, LineItem
from hostpact.billing.tests.helpers import RECORDING, RecordingGateway, price
from hostpact.core import clock
from hostpact.core.models import AuditEntry
from hostpact.privacy.disclosures.models import Disclosure

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def paid_cart(user):
    """A paid invoice of a domain registration and a plan; answers the placed items."""
    plan = price("shared-business", "monthly")
    with clock.freeze(NOW):
        placed = services.place_items(user, [
            LineItem("Registration of refund-me.test, 1 year", Decimal("799.00"),
                     kind="domain_registration", domain="refund-me.test"),
            LineItem("Business (monthly)", plan.amount, price=plan, domain="refund-me.test"),
        ], actor="system")
        services.pay_invoice(placed.invoice, "system")
    return placed


@override_settings(PAYMENT_GATEWAY=RECORDING)
def test_refunding_an_order_gives_back_its_total_once(subscriber):
    """The domain's order is refunded 942.82 (799 + GST) through the gateway, by the charge's
    reference; the order is refunded; asking again answers the same refund, no second call."""
    placed = paid_cart(subscriber)
    domain_order = placed.orders[0]
    RecordingGateway.calls = []
    with clock.freeze(NOW):
        refund = services.refund_order(domain_order, actor="system:fulfilment",
                                       reason="The registry refused the registration.")
        again = services.refund_order(domain_order, actor="system:fulfilment",
                                      reason="The registry refused the registration.")
    payment = Payment.objects.get(invoice=placed.invoice)
    assert again.pk == refund.pk and Refund.objects.count() == 1
    assert (refund.amount, refund.payment_id, refund.created_at) == (
        Decimal("942.82"), payment.pk, NOW)
    assert refund.reference.startswith("re_test_")
    assert RecordingGateway.calls == [("refund", (payment.reference, Decimal("942.82"), "INR"))]
    assert Order.objects.get(pk=domain_order.pk).status == Order.Status.REFUNDED
    assert payment.status == Payment.Status.SUCCEEDED  # the plan's part is still paid
    assert Service.objects.get(pk=placed.services[0].pk).status == Service.Status.ACTIVE
    assert AuditEntry.objects.filter(action="billing.order.refund",
                                     object_ref=f"order:{domain_order.pk}").count() == 1
    disclosure = Disclosure.objects.get(reference=f"refund:{refund.pk}")
    assert disclosure.categories == ["user.financial"]


def test_refunding_every_order_refunds_the_payment_and_ends_the_service(subscriber):
    """Both orders refunded: the refunds add up to the payment, which is then refunded; the
    plan's service is cancelled."""
    placed = paid_cart(subscriber)
    refunds = [services.refund_order(o, actor="staff:1", reason="Customer cancelled.")
               for o in placed.orders]
    payment = Payment.objects.get(invoice=placed.invoice)
    assert sum(r.amount for r in refunds) == payment.amount == placed.invoice.total
    assert payment.status == Payment.Status.REFUNDED
    assert Service.objects.get(pk=placed.services[0].pk).status == Service.Status.CANCELLED


def test_an_unpaid_order_or_no_reason_is_refused_and_nothing_moves(subscriber):
    """An order awaiting payment, or a refund without a reason: BillingError naming the
    field; no refund, no gateway call."""
    placed = services.place_order(subscriber, price(), "system")
    with pytest.raises(BillingError) as exc:
        services.refund_order(placed.order, actor="system", reason="Changed mind.")
    assert (exc.value.field, exc.value.code) == ("order", "not_paid")
    paid = paid_cart(subscriber)
    with pytest.raises(BillingError) as exc:
        services.refund_order(paid.orders[0], actor="system", reason="  ")
    assert exc.value.field == "reason"
    assert not Refund.objects.exists()
    assert Order.objects.get(pk=paid.orders[0].pk).status == Order.Status.PAID


def test_the_invoice_page_shows_its_lines_and_refunds(client, subscriber):
    """The invoice page lists each line (the refunded one marked) and each refund with its
    reason, amount and reference; so do the download and the API's invoice."""
    placed = paid_cart(subscriber)
    refund = services.refund_order(placed.orders[0], actor="system",
                                   reason="The registry refused the registration.")
    client.force_login(subscriber)
    for name in ("", "download/"):
        page = client.get(f"/panel/invoices/{placed.invoice.number}/{name}").content.decode()
        assert "Registration of refund-me.test, 1 year" in page and "(refunded)" in page
        assert "Business (monthly)" in page
        assert "The registry refused the registration." in page
        assert refund.reference in page and "942.82" in page
    body = client.get(f"/api/v1/invoices/{placed.invoice.number}").json()
    assert body["refunds"] == [{
        "order": placed.orders[0].pk, "amount": "942.82", "currency": "INR",
        "reason": "The registry refused the registration.", "reference": refund.reference,
        "created_at": body["refunds"][0]["created_at"]}]
