"""Paying invoices with the stored card token, and the renewal invoices of active services.

Paying charges the gateway token, never a card number, marks every order of the invoice paid
and starts every pending service on it; a renewal invoice extends its service by one cycle. A
refused charge raises before anything is written.
"""

import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hostpact.billing import events
from hostpact.billing.gateway import CardError, gateway
from hostpact.billing.models import CYCLE_MONTHS, Invoice, Order, Payment, Service
from hostpact.billing.services.common import (
    DUE_DAYS,
    PAYMENT_PURPOSE,
    TOKEN_CATEGORIES,
    BillingError,
    default_card,
    price_amount,
    quote_amount,
)
from hostpact.billing.services.orders import issue_invoice
from hostpact.core import audit, clock
from hostpact.privacy.disclosures.services import DisclosureRefused, record_processor_disclosure
from hostpact.privacy.disclosures.services import check as check_disclosure
from hostpact.privacy.rights.guard import SubjectErased, lock_subject_for_write

log = logging.getLogger(__name__)

RENEWAL_NOTICE = timedelta(days=DUE_DAYS)
CREDIT_GATEWAY = "credit"  # the payment of an invoice its credits cover: no money moved


def _advance(moment, cycle: str):
    return moment + relativedelta(months=CYCLE_MONTHS[cycle])


def invoice_orders(invoice: Invoice) -> list[Order]:
    """Return the orders ``invoice`` bills: those of its lines, and the one it names."""
    ids = {i for i in invoice.lines.values_list("order_id", flat=True) if i is not None}
    if invoice.order_id is not None:
        ids.add(invoice.order_id)
    return list(Order.objects.filter(pk__in=ids).order_by("pk"))


def _start_services(orders: list[Order], now) -> None:
    for service in Service.objects.filter(order__in=orders).order_by("pk"):
        if service.status == Service.Status.PENDING:
            service.status, service.started_at = Service.Status.ACTIVE, now
            service.renews_at = _advance(now, service.cycle)
        else:
            # A renewal invoice extends the term from where it ended.
            service.renews_at = _advance(service.renews_at or now, service.cycle)
        service.save(update_fields=["status", "started_at", "renews_at"])


def _charge(invoice: Invoice, actor: str) -> dict:
    """Charge the owner's default card token the invoice total; return the payment's fields.
    An invoice its credits cover (total 0) is settled without a card or the gateway."""
    if invoice.total == 0:
        return {"gateway": CREDIT_GATEWAY, "reference": f"credit:{invoice.number}"[:64],
                "amount": invoice.total, "currency": invoice.currency}
    user = invoice.user
    method = default_card(user) if user is not None else None
    if method is None or not method.token:
        raise BillingError("There is no card on file: add a card in My information first.",
                           "card", "no_card")
    try:
        check_disclosure(method.gateway, TOKEN_CATEGORIES, PAYMENT_PURPOSE)
        charge = gateway().charge(method.token, invoice.total, invoice.currency, invoice.number)
    except DisclosureRefused:
        raise BillingError("Card payments are not available right now; the invoice is still "
                           "open.", "card", "gateway_unavailable")
    except CardError as exc:
        log.info("charge for invoice %s declined (card %s)", invoice.pk, method.pk)
        raise BillingError(f"Payment failed: {exc} The invoice is still open; you can try "
                           "again or replace your card.", "card", "card_declined")
    record_processor_disclosure(method.gateway, [invoice.subject_id], TOKEN_CATEGORIES,
                                PAYMENT_PURPOSE, reference=f"invoice:{invoice.number}",
                                actor=actor)
    return {"gateway": method.gateway, "reference": charge.reference[:64],
            "amount": charge.amount, "currency": charge.currency}


@transaction.atomic
def pay_invoice(invoice: Invoice, actor: str) -> Payment:
    """Charge the owner's default card token for ``invoice``; mark it and its orders paid,
    start its pending services.

    The invoice row is locked first, so two clicks cannot pay twice. The charge carries the
    invoice number as its reference, which a real gateway uses as the idempotency key should
    our commit fail after its charge succeeded. A refused charge raises ``BillingError`` and the
    transaction writes nothing: the invoice stays open. An invoice of total 0 (its credits
    cover it) is paid with no card and no call to the gateway.
    """
    lock_subject_for_write(invoice.subject_id)
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != Invoice.Status.OPEN:
        raise BillingError(f"Invoice {invoice.number} is {invoice.get_status_display().lower()}"
                           ", so it cannot be paid.", "invoice", "not_open")
    charged = _charge(invoice, actor)
    now = clock.now()
    payment = Payment.objects.create(invoice=invoice, status=Payment.Status.SUCCEEDED,
                                     created_at=now, **charged)
    invoice.status, invoice.paid_at = Invoice.Status.PAID, now
    invoice.save(update_fields=["status", "paid_at"])
    orders = invoice_orders(invoice)
    Order.objects.filter(pk__in=[o.pk for o in orders], status=Order.Status.PENDING).update(
        status=Order.Status.PAID)
    _start_services(orders, now)
    audit.record(actor, "billing.invoice.pay", invoice.subject_id, ["reference"],
                 f"invoice:{invoice.number}")
    events.paid(invoice, payment)
    log.info("invoice %s paid, payment %s", invoice.pk, payment.pk)
    return payment


def issue_renewal_invoice(service_id: int) -> Invoice | None:
    """Issue the next term's invoice of an active service due to renew within the notice
    period, unless one is already open. Paying it extends ``renews_at`` by one cycle."""
    with transaction.atomic():
        try:  # the subscriber's lock first, in the order every write takes its locks
            lock_subject_for_write(Service.objects.filter(pk=service_id)
                                   .values_list("subject_id", flat=True).first())
        except SubjectErased:
            return None  # an account being erased is not invoiced again
        service = (Service.objects.select_for_update(of=("self",))
                   .select_related("order__price", "user")
                   .filter(pk=service_id, status=Service.Status.ACTIVE,
                           renews_at__lte=clock.now() + RENEWAL_NOTICE).first())
        if service is None:
            return None
        order = service.order
        if Invoice.objects.filter(Q(order=order) | Q(lines__order=order),
                                  status=Invoice.Status.OPEN).exists():
            return None
        price = order.price
        unit = price_amount(price, service.user.realm_id)
        amounts = quote_amount(unit, service.quantity)
        until = _advance(service.renews_at, service.cycle)
        description = (f"{service.product.name} ({price.get_cycle_display().lower()}), "
                       f"renewal to {timezone.localtime(until):%d %b %Y}")
        invoice = issue_invoice(service.user, order, [{
            "order": order, "description": description, "quantity": service.quantity,
            "unit_amount": unit, "amount": amounts["subtotal"]}], amounts,
            "system:renewals")
        if invoice.total == 0:  # covered by credits: nothing to wait for
            pay_invoice(invoice, "system:renewals")
            invoice.refresh_from_db()
        return invoice


def services_due_for_renewal() -> list[int]:
    return list(Service.objects.filter(status=Service.Status.ACTIVE,
                                       renews_at__lte=clock.now() + RENEWAL_NOTICE)
                .values_list("pk", flat=True))


@transaction.atomic
def void_invoice(invoice: Invoice, *, actor: str) -> Invoice:
    """Void an open invoice that will not be paid (the cart it was made from changed): its
    orders and their pending services are cancelled. It keeps its number, so the sequence has
    no gap; a paid or void invoice is answered as it is."""
    lock_subject_for_write(invoice.subject_id)
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != Invoice.Status.OPEN:
        return invoice
    invoice.status = Invoice.Status.VOID
    invoice.save(update_fields=["status"])
    orders = invoice_orders(invoice)
    Order.objects.filter(pk__in=[o.pk for o in orders], status=Order.Status.PENDING).update(
        status=Order.Status.CANCELLED)
    Service.objects.filter(order__in=orders, status=Service.Status.PENDING).update(
        status=Service.Status.CANCELLED)
    audit.record(actor, "billing.invoice.void", invoice.subject_id, [],
                 f"invoice:{invoice.number}")
    return invoice
