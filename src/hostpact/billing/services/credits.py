"""Credits: money the platform owes a subscriber, taken off their next invoices before GST.

A credit is granted once per ``reference`` (the granting task's key), so a task that runs twice
finds the credit it granted instead of granting another. Issuing an invoice uses the owner's
available credits oldest first, each as a line "Credit: <reason>" with a negative amount, never
taking the subtotal below zero; what a credit has left waits for the next invoice, and each use
is recorded against its invoice. A credit can be cancelled only while no invoice has used it.
"""

import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from hostpact.billing.models import Credit, CreditUse, Invoice, InvoiceLine
from hostpact.billing.services.common import PAISE, BillingError, quote_amount
from hostpact.core import audit, clock
from hostpact.privacy.rights.guard import lock_subject_for_write

log = logging.getLogger(__name__)

MAX_REASON = 100
MAX_REFERENCE = 100
MAX_CREDIT = Decimal("1000000.00")
LINE_PREFIX = "Credit: "


def _amount(value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise BillingError("Give the credit as a decimal number of rupees.", "amount")
    amount = Decimal(value)
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        raise BillingError("Give the credit in rupees with at most two decimals.", "amount")
    if not Decimal("0") < amount <= MAX_CREDIT:
        raise BillingError(f"Give a credit above 0.00 and at most {MAX_CREDIT}.", "amount")
    return amount.quantize(PAISE)


def _text(value, field: str, limit: int) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > limit:
        raise BillingError(f"Give the {field} in 1 to {limit} characters.", field)
    return text


@transaction.atomic
def grant_credit(user, amount: Decimal, *, reason: str, reference: str, actor: str) -> Credit:
    """Grant ``user`` a credit of ``amount`` rupees for their next invoices.

    ``reason`` is shown on the invoice line; ``reference`` identifies the grant: granting again
    under a reference already used for ``user`` answers that credit and grants nothing."""
    subject_id = getattr(user, "subject_id", None)
    if subject_id is None:
        raise BillingError("Only a subscriber can receive a credit.", "user")
    amount = _amount(amount)
    reason = _text(reason, "reason", MAX_REASON)
    reference = _text(reference, "reference", MAX_REFERENCE)
    lock_subject_for_write(subject_id)
    existing = Credit.objects.filter(reference=reference).first()
    if existing is not None:
        if existing.subject_id != subject_id:
            raise BillingError("This reference already names another subscriber's credit.",
                               "reference", "taken")
        return existing
    credit = Credit.objects.create(
        user=user, subject_id=subject_id, amount=amount, remaining=amount, reason=reason,
        reference=reference, created_at=clock.now())
    audit.record(actor, "billing.credit.grant", subject_id, ["amount"], f"credit:{credit.pk}")
    log.info("credit %s granted to user %s", credit.pk, user.pk)
    return credit


@transaction.atomic
def cancel_credit(credit: Credit, *, actor: str) -> Credit:
    """Cancel ``credit`` before any invoice has used it; a cancelled one is answered as is.

    Raises ``BillingError`` (code ``applied``) once an invoice has taken any of it: that
    invoice was issued with the credit, and issued invoices do not change."""
    lock_subject_for_write(credit.subject_id)
    credit = Credit.objects.select_for_update().get(pk=credit.pk)
    if credit.status == Credit.Status.CANCELLED:
        return credit
    used = credit.uses.select_related("invoice").first()
    if used is not None:
        raise BillingError(f"This credit was used on invoice {used.invoice.number}, so it "
                           "cannot be cancelled.", "credit", "applied")
    credit.status, credit.remaining = Credit.Status.CANCELLED, Decimal("0.00")
    credit.cancelled_at = clock.now()
    credit.save(update_fields=["status", "remaining", "cancelled_at"])
    audit.record(actor, "billing.credit.cancel", credit.subject_id, ["amount"],
                 f"credit:{credit.pk}")
    return credit


def credit_balance(user) -> Decimal:
    """Return what ``user``'s available credits have left for their next invoices."""
    total = Credit.objects.filter(user=user, status=Credit.Status.AVAILABLE).aggregate(
        s=Sum("remaining"))["s"]
    return (total or Decimal("0")).quantize(PAISE)


def credits_to_apply(user, subtotal: Decimal) -> list[tuple[Credit, Decimal]]:
    """Lock ``user``'s available credits and return (credit, amount) for each one a subtotal of
    ``subtotal`` takes, oldest first, never more than the subtotal. Call it inside the
    invoice's transaction, with the subject locked."""
    left, taken = subtotal, []
    if left <= 0:
        return taken
    for credit in (Credit.objects.select_for_update()
                   .filter(user=user, status=Credit.Status.AVAILABLE, remaining__gt=0)
                   .order_by("created_at", "pk")):
        take = min(credit.remaining, left)
        taken.append((credit, take))
        left -= take
        if left <= 0:
            break
    return taken


def credited_amounts(amounts: dict, taken: list[tuple[Credit, Decimal]]) -> dict:
    """Return ``amounts`` (subtotal, tax, total, rate) with the credits ``taken`` off the
    subtotal and GST computed again on what is left."""
    if not taken:
        return amounts
    return quote_amount(amounts["subtotal"] - sum(t for _, t in taken))


def record_credit_uses(invoice: Invoice, taken: list[tuple[Credit, Decimal]],
                       actor: str) -> None:
    """Write the credit lines of ``invoice`` and what each credit gave it; a credit with
    nothing left is used up."""
    now = clock.now()
    for credit, take in taken:
        line = InvoiceLine.objects.create(
            invoice=invoice, description=f"{LINE_PREFIX}{credit.reason}"[:200], quantity=1,
            unit_amount=-take, amount=-take)
        CreditUse.objects.create(credit=credit, invoice=invoice, line=line, amount=take,
                                 created_at=now)
        credit.remaining -= take
        if credit.remaining == 0:
            credit.status = Credit.Status.USED
        credit.save(update_fields=["remaining", "status"])
        audit.record(actor, "billing.credit.apply", invoice.subject_id, ["amount"],
                     f"credit:{credit.pk}")


def restore_credit(order, refund, *, actor: str) -> Credit | None:
    """Give back as a credit the part of refunded ``order`` that its invoice's credits paid.

    The refund returns money only up to what the card paid; the rest of the order's total was
    credit, taken before GST, so it comes back before GST too, never more than the invoice
    took from credits. Call it in the refund's transaction; a refund restores once."""
    unpaid = order.total - refund.amount
    invoice = refund.payment.invoice
    used = invoice.credit_uses.aggregate(s=Sum("amount"))["s"] or Decimal("0")
    if unpaid <= 0 or used <= 0 or order.user is None:
        return None
    orders = {line.order_id for line in invoice.lines.all() if line.order_id is not None}
    restored = Credit.objects.filter(reference__in=[f"refund:{pk}" for pk in orders]).aggregate(
        s=Sum("amount"))["s"] or Decimal("0")
    back = min((unpaid / (1 + invoice.tax_rate)).quantize(PAISE), used - restored)
    if back <= 0:
        return None
    return grant_credit(order.user, back, reason=f"Refund of order {order.pk}",
                        reference=f"refund:{order.pk}", actor=actor)
