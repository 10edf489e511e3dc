"""Credits: granted once per reference, taken off invoices before GST, never below zero."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from hostpact.billing import services
from hostpact.billing.models import Credit, CreditUse, Invoice, Payment, Refund, Service
from hostpact.billing.services import BillingError
from hostpact.billing.tests.helpers import RECORDING, RecordingGateway, price
from hostpact.core import clock
from hostpact.core.models import AuditEntry

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
LATER = datetime(2026, 6, 2, 8, 0, tzinfo=UTC)


def grant(user, amount, reference, reason="Banner reward", at=NOW):
    with clock.freeze(at):
        return services.grant_credit(user, Decimal(amount), reason=reason,
                                     reference=reference, actor="system:referrals")


def order_starter(user, at=LATER):
    """Order Starter monthly: 149.00 before GST, 175.82 with it."""
    with clock.freeze(at):
        return services.place_order(user, price(), "system")


def test_a_credit_is_granted_once_per_reference_and_counts_in_the_balance(subscriber):
    """Granting under the same reference twice answers the first credit; the balance is the
    sum of what is available; each grant is audited once."""
    first = grant(subscriber, "100.00", "reward:1")
    again = grant(subscriber, "999.00", "reward:1")
    grant(subscriber, "25.50", "reward:2")
    assert again.pk == first.pk and Credit.objects.count() == 2
    assert (first.amount, first.remaining, first.status, first.created_at) == (
        Decimal("100.00"), Decimal("100.00"), Credit.Status.AVAILABLE, NOW)
    assert services.credit_balance(subscriber) == Decimal("125.50")
    assert AuditEntry.objects.filter(action="billing.credit.grant",
                                     subject_id=subscriber.subject_id).count() == 2


def test_a_reference_of_another_subscriber_is_refused(subscriber, other_subscriber):
    """A reference names one grant: reusing it for someone else is refused, not merged."""
    grant(subscriber, "10.00", "reward:7")
    with pytest.raises(BillingError) as caught:
        grant(other_subscriber, "10.00", "reward:7")
    assert caught.value.field == "reference"
    assert services.credit_balance(other_subscriber) == 0


@pytest.mark.parametrize(("amount", "reason", "reference", "field"), [
    (Decimal("0"), "Reward", "r:1", "amount"),
    (Decimal("-5.00"), "Reward", "r:1", "amount"),
    (Decimal("1.005"), "Reward", "r:1", "amount"),
    (Decimal("NaN"), "Reward", "r:1", "amount"),
    (Decimal("1000000.01"), "Reward", "r:1", "amount"),
    (1.5, "Reward", "r:1", "amount"),
    (True, "Reward", "r:1", "amount"),
    (Decimal("5.00"), "", "r:1", "reason"),
    (Decimal("5.00"), "x" * 101, "r:1", "reason"),
    (Decimal("5.00"), "Reward", "  ", "reference"),
    (Decimal("5.00"), "Reward", "r" * 101, "reference"),
    (Decimal("5.00"), "Reward", None, "reference"),
])
def test_a_bad_grant_names_its_field_and_writes_nothing(subscriber, amount, reason, reference,
                                                        field):
    """A credit of no, negative, fractional-paisa or float amount, or without a reason or
    reference of at most 100 characters, is refused naming the field."""
    with pytest.raises(BillingError) as caught:
        services.grant_credit(subscriber, amount, reason=reason, reference=reference,
                              actor="system")
    assert caught.value.field == field
    assert not Credit.objects.exists()


def test_a_smaller_credit_comes_off_the_subtotal_before_gst(subscriber):
    """A 100.00 credit on Starter (149.00) leaves 49.00, GST 8.82, total 57.82; its line reads
    "Credit: <reason>" at -100.00 and the credit is used up, its use recorded."""
    credit = grant(subscriber, "100.00", "reward:1")
    invoice = order_starter(subscriber).invoice
    assert (invoice.subtotal, invoice.tax, invoice.total) == (
        Decimal("49.00"), Decimal("8.82"), Decimal("57.82"))
    lines = list(invoice.lines.values_list("description", "amount"))
    assert lines[-1] == ("Credit: Banner reward", Decimal("-100.00"))
    assert sum(amount for _, amount in lines) == invoice.subtotal
    credit.refresh_from_db()
    assert (credit.remaining, credit.status) == (Decimal("0.00"), Credit.Status.USED)
    use = CreditUse.objects.get()
    assert (use.credit_id, use.invoice_id, use.amount, use.line.amount) == (
        credit.pk, invoice.pk, Decimal("100.00"), Decimal("-100.00"))
    assert AuditEntry.objects.filter(action="billing.credit.apply",
                                     object_ref=f"credit:{credit.pk}").count() == 1


@override_settings(PAYMENT_GATEWAY=RECORDING)
def test_a_larger_credit_makes_the_invoice_0_paid_without_a_card_and_keeps_the_rest(
        subscriber):
    """A 200.00 credit covers Starter (149.00): the invoice totals 0 and is paid with no
    charge (the card is not even needed), the service starts, and 51.00 waits for the next
    invoice, which takes it."""
    credit = grant(subscriber, "200.00", "reward:1")
    subscriber.payment_methods.all().delete()
    RecordingGateway.calls = []
    placed = order_starter(subscriber)
    assert (placed.invoice.subtotal, placed.invoice.tax, placed.invoice.total) == (
        Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))
    with clock.freeze(LATER):
        payment = services.pay_invoice(placed.invoice, "system")
    assert RecordingGateway.calls == []
    assert (payment.gateway, payment.amount) == ("credit", Decimal("0.00"))
    assert Invoice.objects.get(pk=placed.invoice.pk).status == Invoice.Status.PAID
    assert Service.objects.get(pk=placed.service.pk).status == Service.Status.ACTIVE
    credit.refresh_from_db()
    assert (credit.remaining, credit.status) == (Decimal("51.00"), Credit.Status.AVAILABLE)
    assert services.credit_balance(subscriber) == Decimal("51.00")
    second = order_starter(subscriber).invoice
    assert (second.subtotal, second.total) == (Decimal("98.00"), Decimal("115.64"))
    assert services.credit_balance(subscriber) == 0
    assert list(CreditUse.objects.filter(credit=credit).values_list("invoice_id", "amount")) \
        == [(placed.invoice.pk, Decimal("149.00")), (second.pk, Decimal("51.00"))]


def test_credits_are_used_oldest_first_and_never_make_an_invoice_negative(subscriber):
    """Three credits of 100.00 on a 149.00 invoice: the oldest gives 100.00, the next 49.00,
    the newest nothing; no line or total is below what the invoice bills."""
    oldest = grant(subscriber, "100.00", "reward:old", at=datetime(2026, 5, 1, tzinfo=UTC))
    middle = grant(subscriber, "100.00", "reward:mid", at=datetime(2026, 5, 2, tzinfo=UTC))
    newest = grant(subscriber, "100.00", "reward:new", at=datetime(2026, 5, 3, tzinfo=UTC))
    invoice = order_starter(subscriber).invoice
    assert invoice.total == 0 and invoice.subtotal == 0 and invoice.tax == 0
    taken = {u.credit_id: u.amount for u in CreditUse.objects.filter(invoice=invoice)}
    assert taken == {oldest.pk: Decimal("100.00"), middle.pk: Decimal("49.00")}
    assert Credit.objects.get(pk=newest.pk).remaining == Decimal("100.00")
    assert services.credit_balance(subscriber) == Decimal("151.00")


def test_cancelling_an_unused_credit_takes_it_out_of_the_balance(subscriber):
    """A cancelled credit is off the balance and off the next invoice; cancelling again
    answers it unchanged; the cancel is audited once."""
    credit = grant(subscriber, "100.00", "reward:1")
    with clock.freeze(LATER):
        cancelled = services.cancel_credit(credit, actor="system:referrals")
        services.cancel_credit(credit, actor="system:referrals")
    assert (cancelled.status, cancelled.cancelled_at) == (Credit.Status.CANCELLED, LATER)
    assert services.credit_balance(subscriber) == 0
    assert order_starter(subscriber).invoice.total == Decimal("175.82")
    assert AuditEntry.objects.filter(action="billing.credit.cancel").count() == 1


def test_cancelling_a_credit_an_invoice_used_is_refused(subscriber):
    """Once an invoice took part of a credit, cancelling it is refused naming that invoice,
    and what is left of it stays available."""
    credit = grant(subscriber, "200.00", "reward:1")
    invoice = order_starter(subscriber).invoice
    with pytest.raises(BillingError) as caught:
        services.cancel_credit(credit, actor="system:referrals")
    assert caught.value.code == "applied" and invoice.number in str(caught.value)
    credit.refresh_from_db()
    assert (credit.status, credit.remaining) == (Credit.Status.AVAILABLE, Decimal("51.00"))


@override_settings(PAYMENT_GATEWAY=RECORDING)
def test_refunding_an_order_its_credits_paid_gives_back_0_without_the_gateway(subscriber):
    """An order paid entirely by credits is refunded 0.00: the order is refunded, its service
    ends, the gateway hears nothing, and the 149.00 of credit it took comes back as a credit
    (once: refunding again restores nothing more)."""
    grant(subscriber, "200.00", "reward:1")
    placed = order_starter(subscriber)
    with clock.freeze(LATER):
        services.pay_invoice(placed.invoice, "system")
        RecordingGateway.calls = []
        refund = services.refund_order(placed.order, actor="system", reason="Staff's decision.")
    assert RecordingGateway.calls == []
    assert refund.amount == Decimal("0.00") and Refund.objects.count() == 1
    assert Service.objects.get(pk=placed.service.pk).status == Service.Status.CANCELLED
    with clock.freeze(LATER):
        services.refund_order(placed.order, actor="system", reason="Staff's decision.")
    back = Credit.objects.get(reference=f"refund:{placed.order.pk}")
    assert (back.amount, back.reason) == (Decimal("149.00"), f"Refund of order {placed.order.pk}")
    assert services.credit_balance(subscriber) == Decimal("200.00")


@override_settings(PAYMENT_GATEWAY=RECORDING)
def test_refunding_a_partly_credited_order_gives_back_what_was_paid(subscriber):
    """With 100.00 of credit the invoice took 57.82 from the card; the refund returns 57.82,
    not the order's 175.82, and the 100.00 of credit comes back as a credit."""
    grant(subscriber, "100.00", "reward:1")
    placed = order_starter(subscriber)
    with clock.freeze(LATER):
        payment = services.pay_invoice(placed.invoice, "system")
        refund = services.refund_order(placed.order, actor="system", reason="Staff's decision.")
    assert payment.amount == Decimal("57.82") and refund.amount == Decimal("57.82")
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.REFUNDED
    assert services.credit_balance(subscriber) == Decimal("100.00")


@override_settings(PAYMENT_GATEWAY=RECORDING)
def test_refunding_every_order_of_a_credited_invoice_gives_back_no_more_than_it_took(
        subscriber):
    """Two Starter orders (298.00) with 149.00 of credit: the card paid 175.82. Refunding both
    returns 175.82 of money and 149.00 of credit, in whichever order, never more."""
    grant(subscriber, "149.00", "reward:1")
    plan = price()
    with clock.freeze(LATER):
        placed = services.place_items(subscriber, [
            services.LineItem("Starter (monthly)", plan.amount, price=plan),
            services.LineItem("Starter (monthly)", plan.amount, price=plan)], actor="system")
        payment = services.pay_invoice(placed.invoice, "system")
        refunds = [services.refund_order(o, actor="system", reason="Staff's decision.")
                   for o in placed.orders]
    assert payment.amount == Decimal("175.82")
    assert [r.amount for r in refunds] == [Decimal("175.82"), Decimal("0.00")]
    assert services.credit_balance(subscriber) == Decimal("149.00")


def test_a_renewal_its_credits_cover_is_paid_at_once(subscriber):
    """A renewal invoice that credits bring to 0 is paid as it is issued: the term moves on
    with no charge and nothing stays open."""
    with clock.freeze(datetime(2026, 3, 10, 6, 0, tzinfo=UTC)):
        placed = services.place_order(subscriber, price(), "system")
        services.pay_invoice(placed.invoice, "system")
    grant(subscriber, "500.00", "reward:1", at=datetime(2026, 3, 20, tzinfo=UTC))
    with clock.freeze(datetime(2026, 4, 5, 6, 0, tzinfo=UTC)):
        renewal = services.issue_renewal_invoice(placed.service.pk)
    assert (renewal.total, renewal.status) == (Decimal("0.00"), Invoice.Status.PAID)
    assert Payment.objects.get(invoice=renewal).gateway == "credit"
    assert Service.objects.get(pk=placed.service.pk).renews_at == datetime(
        2026, 5, 10, 6, 0, tzinfo=UTC)
    assert services.credit_balance(subscriber) == Decimal("351.00")
