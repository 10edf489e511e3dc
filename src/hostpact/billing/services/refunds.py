"""Refunds: an order's amount, GST included, given back through the gateway that was paid.

Refunding is idempotent: an order is refunded once, and asking again answers the same refund
without calling the gateway. The gateway hears only the charge's reference and the amount. The
gateway is called inside the transaction; should our commit then fail, a retry asks the gateway
for the same refund of the same charge, which a processor answers without paying twice.
"""

import logging

from django.db import transaction
from django.db.models import Sum

from hostpact.billing import events
from hostpact.billing.gateway import CardError, gateway
from hostpact.billing.models import InvoiceLine, Order, Payment, Refund, Service
from hostpact.billing.services.common import PAYMENT_PURPOSE, BillingError
from hostpact.billing.services.credits import restore_credit
from hostpact.core import audit, clock
from hostpact.privacy.disclosures.services import DisclosureRefused, record_processor_disclosure
from hostpact.privacy.disclosures.services import check as check_disclosure
from hostpact.privacy.rights.guard import lock_subject_for_write

log = logging.getLogger(__name__)

REFUND_CATEGORIES = ["user.financial"]  # the charge's reference; nothing of the card
MAX_REASON = 200


def _payment_of(order: Order) -> Payment | None:
    """Return the payment of the first paid invoice that bills ``order``: refunded in full
    already when credits made the invoice cost less than its orders and others were refunded
    first."""
    line = (InvoiceLine.objects.filter(order=order, invoice__status="paid")
            .select_related("invoice").order_by("invoice__issued_at", "pk").first())
    if line is None:
        return None
    return line.invoice.payments.order_by("pk").first()


@transaction.atomic
def refund_order(order: Order, *, actor: str, reason: str) -> Refund:
    """Refund ``order``'s total (GST included) to the card that paid it; mark the order
    refunded and end its service. An order refunded already answers its refund.

    When credits paid part of its invoice, the money given back is at most what is left of the
    payment (an order its credits paid in full is refunded 0 without calling the gateway) and
    the rest comes back as a credit."""
    lock_subject_for_write(order.subject_id)
    order = Order.objects.select_for_update().get(pk=order.pk)
    existing = Refund.objects.filter(order=order).first()
    if existing is not None:
        return existing
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason or len(reason) > MAX_REASON:
        raise BillingError(f"Give the reason in 1 to {MAX_REASON} characters.", "reason")
    if order.status != Order.Status.PAID:
        raise BillingError(f"Order {order.pk} is {order.get_status_display().lower()}, so it "
                           "cannot be refunded.", "order", "not_paid")
    payment = _payment_of(order)
    if payment is None:
        raise BillingError(f"Order {order.pk} has no payment to refund.", "order", "not_paid")
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    given = payment.refunds.aggregate(s=Sum("amount"))["s"] or 0
    # Credits make an invoice cost less than its orders: what is given back is what was paid.
    amount = min(order.total, payment.amount - given)
    if amount < order.total and not payment.invoice.credit_uses.exists():
        raise BillingError("The refund would exceed the payment.", "order", "exceeds_payment")
    if amount > 0:
        reference = _refund_through_gateway(payment, order, amount)
    else:
        reference = f"credit:{order.pk}"  # its credits paid for it: no money to give back
    refund = Refund.objects.create(
        payment=payment, order=order, amount=amount, currency=order.currency,
        reason=reason, reference=reference[:64], created_at=clock.now())
    order.status = Order.Status.REFUNDED
    order.save(update_fields=["status"])
    Service.objects.filter(order=order).exclude(status=Service.Status.CANCELLED).update(
        status=Service.Status.CANCELLED)
    if amount > 0:
        record_processor_disclosure(payment.gateway, [order.subject_id], REFUND_CATEGORIES,
                                    PAYMENT_PURPOSE, reference=f"refund:{refund.pk}",
                                    actor=actor)
        if given + amount == payment.amount:
            payment.status = Payment.Status.REFUNDED
            payment.save(update_fields=["status"])
    audit.record(actor, "billing.order.refund", order.subject_id, ["reference"],
                 f"order:{order.pk}")
    restore_credit(order, refund, actor=actor)
    events.refunded(order, refund)
    log.info("order %s refunded, refund %s", order.pk, refund.pk)
    return refund


def _refund_through_gateway(payment: Payment, order: Order, amount) -> str:
    """Ask the gateway that took ``payment`` to give ``amount`` back; return its reference."""
    processor = gateway()
    unavailable = BillingError("Refunds are not available right now; nothing was refunded.",
                               "order", "gateway_unavailable")
    if processor.name != payment.gateway:  # only the gateway that took the money can return it
        raise unavailable
    try:
        check_disclosure(payment.gateway, REFUND_CATEGORIES, PAYMENT_PURPOSE)
        return processor.refund(payment.reference, amount, order.currency)
    except DisclosureRefused:
        raise unavailable
    except CardError as exc:
        log.info("refund of order %s refused by the gateway", order.pk)
        raise BillingError(f"The gateway refused the refund: {exc}", "order", "refund_failed")
