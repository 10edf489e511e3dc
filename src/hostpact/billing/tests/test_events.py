"""Payment and refund events: listeners run in the paying transaction, and never break it."""

import logging
from datetime import UTC, datetime

import pytest
from django.db import connection

from hostpact.billing import events, services
from hostpact.billing.models import Invoice, Order, Payment
from hostpact.billing.tests.helpers import price
from hostpact.core import clock
from hostpact.core.models import AuditEntry

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def listeners(monkeypatch):
    """Empty listener lists for the test, restored afterwards."""
    monkeypatch.setattr(events, "_paid", [])
    monkeypatch.setattr(events, "_refunded", [])


def placed(user):
    with clock.freeze(NOW):
        return services.place_order(user, price(), "system")


def test_a_paid_listener_hears_the_invoice_and_payment_in_the_transaction(subscriber,
                                                                          listeners):
    """A listener gets the paid invoice and its payment while the payment's transaction is
    still open, and registering it twice calls it once."""
    heard = []

    @events.on_paid
    def listener(invoice, payment):
        heard.append((invoice.pk, invoice.status, payment.pk, connection.in_atomic_block))

    events.on_paid(listener)
    order = placed(subscriber)
    with clock.freeze(NOW):
        payment = services.pay_invoice(order.invoice, "system")
    assert heard == [(order.invoice.pk, Invoice.Status.PAID, payment.pk, True)]


def test_a_failing_paid_listener_is_logged_and_the_payment_stands(subscriber, listeners,
                                                                  caplog):
    """A listener that raises is rolled back to its savepoint and logged by ids only; the
    invoice is paid, the next listener still runs and its writes are kept."""
    secret = subscriber.email

    def broken(invoice, payment):
        AuditEntry.objects.filter(pk=-1).delete()  # a query, so the savepoint had work
        raise ValueError(f"cannot reward {secret}")

    def kept(invoice, payment):
        Order.objects.filter(pk=invoice.order_id).update(description="rewarded")

    events.on_paid(broken)
    events.on_paid(kept)
    order = placed(subscriber)
    with clock.freeze(NOW), caplog.at_level(logging.ERROR, logger="hostpact.billing.events"):
        services.pay_invoice(order.invoice, "system")
    assert Invoice.objects.get(pk=order.invoice.pk).status == Invoice.Status.PAID
    assert Payment.objects.filter(invoice=order.invoice).count() == 1
    assert Order.objects.get(pk=order.order.pk).description == "rewarded"
    assert "ValueError" in caplog.text and "broken" in caplog.text
    assert secret not in caplog.text


def test_a_refund_listener_hears_the_order_and_refund_and_a_failure_keeps_the_refund(
        subscriber, listeners):
    """A refunded listener gets the order and its refund; a failing one leaves the refund."""
    heard = []
    events.on_refunded(lambda order, refund: heard.append((order.pk, refund.pk)))
    events.on_refunded(lambda order, refund: 1 / 0)
    order = placed(subscriber)
    with clock.freeze(NOW):
        services.pay_invoice(order.invoice, "system")
        refund = services.refund_order(order.order, actor="system", reason="Staff's decision.")
    assert heard == [(order.order.pk, refund.pk)]
    assert Order.objects.get(pk=order.order.pk).status == Order.Status.REFUNDED


def test_a_payment_refused_for_want_of_a_card_tells_no_listener(subscriber, listeners):
    """A payment refused before any charge pays nothing, so no listener hears of it."""
    heard = []
    events.on_paid(lambda invoice, payment: heard.append(invoice.pk))
    order = placed(subscriber)
    subscriber.payment_methods.all().delete()
    with clock.freeze(NOW), pytest.raises(services.BillingError):
        services.pay_invoice(order.invoice, "system")
    assert heard == []
