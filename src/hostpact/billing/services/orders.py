"""Ordering: items become orders on one invoice, issued at once.

An invoice has a gapless number per calendar year, one line per order and the GST of each order;
the billed name and address are copied from the subscriber's data. Product lines (a catalogue
price) get a pending service, activated when the invoice is paid; domain lines carry only their
order, which the domains side fulfils once paid. Bad items raise before anything is written.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from hostpact.billing.models import Invoice, InvoiceLine, InvoiceSequence, Order, Price, Service
from hostpact.billing.services.common import (
    DUE_DAYS,
    INVOICE_FIELDS,
    MAX_QUANTITY,
    BillingError,
    billed_party,
    gst_rate,
    price_amount,
    quote_amount,
)
from hostpact.billing.services.credits import (
    credited_amounts,
    credits_to_apply,
    record_credit_uses,
)
from hostpact.core import audit, clock
from hostpact.privacy.rights.guard import lock_subject_for_write

log = logging.getLogger(__name__)

CURRENCY = "INR"
MAX_ITEMS = 50
MAX_UNIT_AMOUNT = Decimal("1000000.00")  # times MAX_QUANTITY, still fits a money column
MAX_DESCRIPTION = 200
MAX_DOMAIN = 253
DOMAIN_KINDS = {Order.Kind.DOMAIN_REGISTRATION, Order.Kind.DOMAIN_RENEWAL,
                Order.Kind.DOMAIN_TRANSFER}


@dataclass(frozen=True)
class LineItem:
    """One thing to order: ``amount`` is the unit amount before GST; ``price`` the catalogue
    price of a product line; ``domain`` the A-label the line is about or attached to."""

    description: str
    amount: Decimal
    quantity: int = 1
    price: Price | None = None
    kind: str = Order.Kind.PRODUCT
    domain: str = ""


@dataclass
class PlacedItems:
    invoice: Invoice
    orders: list[Order]
    services: list[Service]


@dataclass
class Placed:
    order: Order
    invoice: Invoice
    service: Service


def _next_number(year: int) -> tuple[int, str]:
    """Take the next number of ``year``. The sequence row stays locked until the transaction
    ends, and rolls back with it, so numbers have no gaps and no duplicates."""
    sequence, _ = InvoiceSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last, f"INV-{year}-{sequence.last:06d}"


def issue_invoice(user, order: Order | None, lines: list[dict], amounts: dict,
                  actor: str) -> Invoice:
    """Issue an open invoice of ``lines`` (each naming its order) with the totals ``amounts``;
    ``order`` is the one order it is for, or None for several.

    The owner's available credits come off the subtotal before GST, each as a line of its
    own; an invoice they cover entirely totals 0, which ``pay_invoice`` settles without a
    charge."""
    party = billed_party(user)
    taken = credits_to_apply(user, amounts["subtotal"])
    amounts = credited_amounts(amounts, taken)
    now = clock.now()
    # Numbers run per calendar year as seen in India, where the invoices are issued.
    year = timezone.localtime(now).year
    seq, number = _next_number(year)
    invoice = Invoice.objects.create(
        number=number, year=year, seq=seq, subject_id=user.subject_id, user=user, order=order,
        issued_at=now, due_at=now + timedelta(days=DUE_DAYS), currency=CURRENCY,
        subtotal=amounts["subtotal"], tax_rate=amounts["rate"], tax=amounts["tax"],
        total=amounts["total"], billed_name=party.name, billed_company=party.company,
        billed_address=party.address,
    )
    InvoiceLine.objects.bulk_create([InvoiceLine(invoice=invoice, **line) for line in lines])
    record_credit_uses(invoice, taken, actor)
    audit.record(actor, "billing.invoice.issue", user.subject_id, INVOICE_FIELDS,
                 f"invoice:{number}")
    return invoice


def _amount(value) -> Decimal:
    if isinstance(value, bool | float) or not isinstance(value, Decimal | int | str):
        raise BillingError("Give the amount as a decimal number of rupees.", "amount")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise BillingError("Give the amount as a decimal number of rupees.", "amount")
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        raise BillingError("Give the amount in rupees with at most two decimals.", "amount")
    if not Decimal("0") <= amount <= MAX_UNIT_AMOUNT:
        raise BillingError(f"Give an amount from 0.00 to {MAX_UNIT_AMOUNT}.", "amount")
    return amount.quantize(Decimal("0.01"))


def _domain(value, kind: str) -> str:
    if not isinstance(value, str) or len(value) > MAX_DOMAIN:
        raise BillingError(f"Give the domain as a name of at most {MAX_DOMAIN} characters.",
                           "domain")
    if value and not (value.isascii() and value == value.lower() and "." in value
                      and " " not in value):
        raise BillingError("Give the domain as its lower-case A-label (xn--…).", "domain")
    if kind in DOMAIN_KINDS and not value:
        raise BillingError("A domain line must name its domain.", "domain")
    return value


def _checked(item, realm_id: int | None) -> tuple[LineItem, Price | None, Decimal]:
    """Return the item, its catalogue price (product lines) and unit amount, or refuse; a
    product line's amount must be its price for ``realm_id``'s customers."""
    if not isinstance(item, LineItem):
        raise BillingError("Each item must be a LineItem.", "items")
    if item.kind not in Order.Kind.values:
        raise BillingError(f"Choose a kind among {', '.join(Order.Kind.values)}.", "kind")
    if not isinstance(item.description, str) or not item.description.strip() \
            or len(item.description) > MAX_DESCRIPTION:
        raise BillingError(f"Describe the line in 1 to {MAX_DESCRIPTION} characters.",
                           "description")
    amount = _amount(item.amount)
    quantity = item.quantity
    if isinstance(quantity, bool) or not isinstance(quantity, int) \
            or not 1 <= quantity <= MAX_QUANTITY:
        raise BillingError(f"Enter a quantity from 1 to {MAX_QUANTITY}.", "quantity")
    _domain(item.domain, item.kind)
    if item.kind in DOMAIN_KINDS:
        if item.price is not None:
            raise BillingError("A domain line has no catalogue price.", "price")
        return item, None, amount
    price = (Price.objects.select_related("product").filter(pk=item.price.pk).first()
             if isinstance(item.price, Price) else None)
    if price is None or not price.active or not price.product.active:
        raise BillingError("This price is not available for ordering.", "price", "unavailable")
    expected = price_amount(price, realm_id)
    if amount != expected:
        raise BillingError(f"The amount of {price} is {expected}.", "amount")
    if quantity != 1 and not price.product.unit:
        raise BillingError("This product is ordered one at a time.", "quantity")
    return item, price, amount


@transaction.atomic
def place_items(user, items: list[LineItem], *, actor: str) -> PlacedItems:
    """Order ``items`` on one open invoice: an order per item, its line linked to it, and a
    pending service for each product line."""
    lock_subject_for_write(user.subject_id)
    if not isinstance(items, list | tuple) or not items:
        raise BillingError("Add at least one item to order.", "items")
    if len(items) > MAX_ITEMS:
        raise BillingError(f"Order at most {MAX_ITEMS} items at once.", "items")
    checked = [_checked(item, user.realm_id) for item in items]
    billed_party(user)  # refuse before writing anything when there is no one to bill
    now = clock.now()
    orders, lines, services = [], [], []
    for item, price, amount in checked:
        quoted = quote_amount(amount, item.quantity)
        order = Order.objects.create(
            user=user, subject_id=user.subject_id, kind=item.kind,
            description=item.description.strip(), domain=item.domain,
            product=price.product if price else None, price=price,
            cycle=price.cycle if price else "", quantity=item.quantity,
            currency=price.currency if price else CURRENCY, subtotal=quoted["subtotal"],
            tax=quoted["tax"], total=quoted["total"], created_at=now,
        )
        orders.append(order)
        lines.append({"order": order, "description": order.description,
                      "quantity": item.quantity, "unit_amount": amount,
                      "amount": quoted["subtotal"]})
        if price is not None:
            services.append(Service.objects.create(
                user=user, subject_id=user.subject_id, product=price.product, order=order,
                domain=item.domain, cycle=price.cycle, quantity=item.quantity, created_at=now))
    # GST is rounded per order, so refunding every order gives back exactly the invoice total.
    amounts = {"subtotal": sum(o.subtotal for o in orders), "tax": sum(o.tax for o in orders),
               "total": sum(o.total for o in orders), "rate": gst_rate()}
    invoice = issue_invoice(user, orders[0] if len(orders) == 1 else None, lines, amounts,
                            actor)
    for order in orders:
        audit.record(actor, "billing.order.place", user.subject_id, [], f"order:{order.pk}")
    log.info("orders %s placed by user %s, invoice %s", [o.pk for o in orders], user.pk,
             invoice.number)
    return PlacedItems(invoice, orders, services)


def price_description(price: Price) -> str:
    """Return how an order of ``price`` reads on an invoice line."""
    description = f"{price.product.name} ({price.get_cycle_display().lower()})"
    if price.product.unit:
        description += f", per {price.product.unit}"
    return description


@transaction.atomic
def place_order(user, price: Price, actor: str, quantity: int = 1, *,
                domain: str = "") -> Placed:
    """Order ``quantity`` × ``price`` (at its amount for ``user``'s realm): an order, its
    invoice (open) and a pending service, attached to the caller's ``domain`` (an A-label)
    when one is given."""
    lock_subject_for_write(user.subject_id)
    price = Price.objects.select_related("product").filter(pk=getattr(price, "pk", price)).first()
    if price is None or not price.active or not price.product.active:
        raise BillingError("This price is not available for ordering.", "price_id",
                           "unavailable")
    if isinstance(quantity, bool) or not isinstance(quantity, int) \
            or not 1 <= quantity <= MAX_QUANTITY:
        raise BillingError(f"Enter a quantity from 1 to {MAX_QUANTITY}.", "quantity")
    if quantity != 1 and not price.product.unit:
        raise BillingError("This product is ordered one at a time.", "quantity")
    amount = price_amount(price, user.realm_id)
    placed = place_items(user, [LineItem(price_description(price), amount, quantity,
                                         price=price, domain=domain)], actor=actor)
    return Placed(placed.orders[0], placed.invoice, placed.services[0])
