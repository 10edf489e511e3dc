"""Billing actions. Each runs in a transaction and writes its audit event.

Ordering issues an invoice at once (gapless number per calendar year, GST line, billed name and
address copied from the subscriber's data); paying charges the stored gateway token, never a card
number, and activates the service. A refused charge raises before anything is written.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pycountry
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hostpact.billing.gateway import CardError, CardToken, gateway
from hostpact.billing.models import (
    CYCLE_MONTHS,
    BillingAddress,
    Invoice,
    InvoiceLine,
    InvoiceSequence,
    Order,
    Payment,
    PaymentMethod,
    Price,
    Service,
)
from hostpact.core import audit, clock
from hostpact.core.models import POSTAL_ADDRESS_FIELDS
from hostpact.core.prepared import Prepared
from hostpact.privacy.disclosures.services import DisclosureRefused, record_processor_disclosure
from hostpact.privacy.disclosures.services import check as check_disclosure
from hostpact.privacy.rights.guard import SubjectErased, lock_subject_for_write

log = logging.getLogger(__name__)

PAISE = Decimal("0.01")
DUE_DAYS = 7
MAX_QUANTITY = 100
PAYMENT_PURPOSE = "essential.service.payment_processing"
CARD_CATEGORIES = ["user.financial.credit_card"]  # the number, at tokenisation
TOKEN_CATEGORIES = ["user.financial.credit_card.token"]  # a charge carries the token only
ADDRESS_FIELDS = ["name", "company", *POSTAL_ADDRESS_FIELDS, "email"]
INVOICE_FIELDS = ["number", "subtotal", "tax", "total", "billed_name", "billed_company",
                  "billed_address"]

DEFAULT_CARD = Prepared(lambda p: PaymentMethod.objects.filter(
    user_id=p("user", PaymentMethod._meta.get_field("user")), is_default=True,
).order_by("-created_at", "-pk")[:1])


def default_card(user) -> PaymentMethod | None:
    """The card payments use. Most panel pages show it, so its query is compiled once."""
    return DEFAULT_CARD.first(user=user.pk, using=PaymentMethod.objects.db)


class BillingError(Exception):
    """A billing action was refused; ``field`` names what is wrong, ``code`` says why."""

    def __init__(self, message: str, field: str = "", code: str = "invalid"):
        super().__init__(message)
        self.field, self.code = field, code


@transaction.atomic
def add_payment_method(user, card: CardToken, actor: str) -> PaymentMethod:
    """Store a gateway token as the user's default card, and record the card's disclosure to
    the gateway (DESIGN rule 3: processors are recipients too)."""
    lock_subject_for_write(user.subject_id)
    user.payment_methods.filter(is_default=True).update(is_default=False)
    method = PaymentMethod.objects.create(
        user=user, subject_id=user.subject_id, gateway=card.gateway,
        token=card.token, brand=card.brand, last4=card.last4, exp_month=str(card.exp_month),
        exp_year=str(card.exp_year), is_default=True, created_at=clock.now(),
    )
    audit.record(actor, "billing.card.add", user.subject_id,
                 ["token", "brand", "last4", "exp_month", "exp_year"], f"card:{method.pk}")
    record_processor_disclosure(card.gateway, [user.subject_id], CARD_CATEGORIES,
                                PAYMENT_PURPOSE, reference=f"card:{method.pk}", actor=actor)
    return method


def tokenize_card(number, exp_month, exp_year, cvc) -> CardToken:
    """Hand a card to the gateway once the disclosures gate says the gateway may have it.

    Raises ``CardError`` (naming the card field) for a refused card, and for a gateway the gate
    refuses (its agreement lapsed, say), before anything leaves.
    """
    processor = gateway()
    try:
        check_disclosure(processor.name, CARD_CATEGORIES, PAYMENT_PURPOSE)
    except DisclosureRefused:
        log.warning("card not sent: the gate refuses gateway %s", processor.name)
        raise CardError("Card payments are not available right now; please try again later.")
    return processor.tokenize(number, exp_month, exp_year, cvc)


def replace_card(user, number: str, exp_month: int, exp_year: int, cvc: str,
                 actor: str) -> PaymentMethod:
    """Send a new card to the gateway and keep its token as the default card.

    Raises ``CardError`` (naming the card field) before anything is written.
    """
    return add_payment_method(user, tokenize_card(number, exp_month, exp_year, cvc), actor)


# --- amounts and the billed party ----------------------------------------------------------

def gst_rate() -> Decimal:
    return Decimal(str(settings.GST_RATE))


def quote(price: Price, quantity: int = 1) -> dict[str, Decimal]:
    """Subtotal, GST and total of ``quantity`` × ``price``, rounded to the paisa."""
    subtotal = (price.amount * quantity).quantize(PAISE)
    tax = (subtotal * gst_rate()).quantize(PAISE, rounding=ROUND_HALF_UP)
    return {"subtotal": subtotal, "tax": tax, "total": subtotal + tax, "rate": gst_rate()}


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=(code or "").upper())
    return country.name if country else (code or "")


def _address_text(line1, line2, city, region, postal_code, country) -> str:
    place = " ".join(p for p in [city, region] if p)
    place = f"{place} {postal_code}".strip() if postal_code else place
    return "\n".join(p for p in [line1, line2, place, country_name(country)] if p)


@dataclass(frozen=True)
class BilledParty:
    name: str
    company: str
    address: str
    email: str
    source: str  # "billing address" or "postal address"


def billed_party(user) -> BilledParty:
    """Whom an invoice is made out to: the billing address if set, else the postal one."""
    # Queried, not read from the user's relation cache, so a change just made is seen.
    ba = BillingAddress.objects.filter(user=user).first()
    if ba is not None:
        return BilledParty(ba.name or "", ba.company or "",
                           _address_text(ba.line1, ba.line2, ba.city, ba.region,
                                         ba.postal_code, ba.country),
                           ba.email or user.email or "", "billing address")
    profile = getattr(user, "profile", None)
    if profile is None:
        raise BillingError("Only subscribers with a profile can order.", "user", "no_profile")
    return BilledParty(profile.name or "", "",
                       _address_text(profile.line1, profile.line2, profile.city,
                                     profile.region, profile.postal_code, profile.country),
                       user.email or "", "postal address")


# --- ordering ------------------------------------------------------------------------------

def _next_number(year: int) -> tuple[int, str]:
    """Take the next number of ``year``. The sequence row stays locked until the transaction
    ends, and rolls back with it, so numbers have no gaps and no duplicates."""
    sequence, _ = InvoiceSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last, f"INV-{year}-{sequence.last:06d}"


@dataclass
class Placed:
    order: Order
    invoice: Invoice
    service: Service


def _issue_invoice(user, order: Order, lines: list[dict], amounts: dict, actor: str) -> Invoice:
    party = billed_party(user)
    now = clock.now()
    # Numbers run per calendar year as seen in India, where the invoices are issued.
    year = timezone.localtime(now).year
    seq, number = _next_number(year)
    invoice = Invoice.objects.create(
        number=number, year=year, seq=seq, subject_id=user.subject_id, user=user, order=order,
        issued_at=now, due_at=now + timedelta(days=DUE_DAYS), currency=order.currency,
        subtotal=amounts["subtotal"], tax_rate=amounts["rate"], tax=amounts["tax"],
        total=amounts["total"], billed_name=party.name, billed_company=party.company,
        billed_address=party.address,
    )
    InvoiceLine.objects.bulk_create([InvoiceLine(invoice=invoice, **line) for line in lines])
    audit.record(actor, "billing.invoice.issue", user.subject_id, INVOICE_FIELDS,
                 f"invoice:{number}")
    return invoice


@transaction.atomic
def place_order(user, price: Price, actor: str, quantity: int = 1) -> Placed:
    """Order ``quantity`` × ``price``: an order, its invoice (open) and a pending service."""
    lock_subject_for_write(user.subject_id)
    price = Price.objects.select_related("product").filter(pk=getattr(price, "pk", price)).first()
    if price is None or not price.active or not price.product.active:
        raise BillingError("This price is not available for ordering.", "price_id",
                           "unavailable")
    if not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
        raise BillingError(f"Enter a quantity from 1 to {MAX_QUANTITY}.", "quantity")
    if quantity != 1 and not price.product.unit:
        raise BillingError("This product is ordered one at a time.", "quantity")
    billed_party(user)  # refuse before writing anything when there is no one to bill
    amounts = quote(price, quantity)
    now = clock.now()
    order = Order.objects.create(
        user=user, subject_id=user.subject_id, product=price.product, price=price,
        cycle=price.cycle, quantity=quantity, currency=price.currency,
        subtotal=amounts["subtotal"], tax=amounts["tax"], total=amounts["total"],
        created_at=now,
    )
    description = f"{price.product.name} ({price.get_cycle_display().lower()})"
    if price.product.unit:
        description += f", per {price.product.unit}"
    invoice = _issue_invoice(user, order, [{
        "description": description, "quantity": quantity, "unit_amount": price.amount,
        "amount": amounts["subtotal"]}], amounts, actor)
    service = Service.objects.create(
        user=user, subject_id=user.subject_id, product=price.product, order=order,
        cycle=price.cycle, quantity=quantity, created_at=now,
    )
    audit.record(actor, "billing.order.place", user.subject_id, [], f"order:{order.pk}")
    log.info("order %s placed by user %s, invoice %s", order.pk, user.pk, invoice.number)
    return Placed(order, invoice, service)


# --- paying --------------------------------------------------------------------------------

def _advance(moment, cycle: str):
    return moment + relativedelta(months=CYCLE_MONTHS[cycle])


@transaction.atomic
def pay_invoice(invoice: Invoice, actor: str) -> Payment:
    """Charge the owner's default card token for ``invoice``; mark it paid, start the service.

    The invoice row is locked first, so two clicks cannot pay twice. The charge carries the
    invoice number as its reference, which a real gateway uses as the idempotency key should
    our commit fail after its charge succeeded. A refused charge raises ``BillingError`` and the
    transaction writes nothing: the invoice stays open.
    """
    lock_subject_for_write(invoice.subject_id)
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != Invoice.Status.OPEN:
        raise BillingError(f"Invoice {invoice.number} is {invoice.get_status_display().lower()}"
                           ", so it cannot be paid.", "invoice", "not_open")
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
    now = clock.now()
    payment = Payment.objects.create(
        invoice=invoice, gateway=method.gateway, reference=charge.reference[:64],
        amount=charge.amount, currency=charge.currency, status=Payment.Status.SUCCEEDED,
        created_at=now,
    )
    invoice.status, invoice.paid_at = Invoice.Status.PAID, now
    invoice.save(update_fields=["status", "paid_at"])
    record_processor_disclosure(method.gateway, [invoice.subject_id], TOKEN_CATEGORIES,
                                PAYMENT_PURPOSE, reference=f"invoice:{invoice.number}",
                                actor=actor)
    order = invoice.order
    if order is not None:
        order.status = Order.Status.PAID
        order.save(update_fields=["status"])
        service = Service.objects.filter(order=order).first()
        if service is not None:
            if service.status == Service.Status.PENDING:
                service.status, service.started_at = Service.Status.ACTIVE, now
                service.renews_at = _advance(now, service.cycle)
            else:
                # A renewal invoice extends the term from where it ended.
                service.renews_at = _advance(service.renews_at or now, service.cycle)
            service.save(update_fields=["status", "started_at", "renews_at"])
    audit.record(actor, "billing.invoice.pay", invoice.subject_id, ["reference"],
                 f"invoice:{invoice.number}")
    log.info("invoice %s paid, payment %s", invoice.pk, payment.pk)
    return payment


# --- renewals -----------------------------------------------------------------------------

RENEWAL_NOTICE = timedelta(days=DUE_DAYS)


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
        if service is None or service.order.invoices.filter(status=Invoice.Status.OPEN).exists():
            return None
        price, order = service.order.price, service.order
        amounts = quote(price, service.quantity)
        until = _advance(service.renews_at, service.cycle)
        description = (f"{service.product.name} ({price.get_cycle_display().lower()}), "
                       f"renewal to {timezone.localtime(until):%d %b %Y}")
        return _issue_invoice(service.user, order, [{
            "description": description, "quantity": service.quantity,
            "unit_amount": price.amount, "amount": amounts["subtotal"]}], amounts,
            "system:renewals")


def services_due_for_renewal() -> list[int]:
    return list(Service.objects.filter(status=Service.Status.ACTIVE,
                                       renews_at__lte=clock.now() + RENEWAL_NOTICE)
                .values_list("pk", flat=True))


# --- billing address -----------------------------------------------------------------------

@transaction.atomic
def set_billing_address(user, data: dict | None, actor: str) -> BillingAddress | None:
    """Set the address invoices are made out to; empty ``data`` clears it (postal is used)."""
    lock_subject_for_write(user.subject_id)
    data = {k: (data or {}).get(k) or "" for k in ADDRESS_FIELDS}
    existing = BillingAddress.objects.filter(user=user).first()
    if not any(data.values()):
        if existing is not None:
            existing.delete()
            audit.record(actor, "billing.address.clear", user.subject_id, ADDRESS_FIELDS,
                         user.customer_id)
        return None
    for required in ("name", "line1", "city", "postal_code", "country"):
        if not data[required]:
            raise BillingError("This field is required.", required, "required")
    if existing is None:
        existing = BillingAddress(user=user, subject_id=user.subject_id)
        changed = [k for k in ADDRESS_FIELDS if data[k]]
    else:
        changed = [k for k in ADDRESS_FIELDS if (getattr(existing, k) or "") != data[k]]
        if not changed:
            return existing
    for k in ADDRESS_FIELDS:
        setattr(existing, k, data[k])
    existing.updated_at = clock.now()
    existing.save()
    audit.record(actor, "billing.address.set", user.subject_id, changed, user.customer_id)
    return existing
