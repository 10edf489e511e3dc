"""Data-map declarations of billing's models.

Invoices carry the billed name and address under the ``tax`` retention class: erasure keeps them,
under the legal basis of that class, until the retention task shreds the class key at the end of
the tax period. The billing address is ordinary account data: it goes at erasure.
"""

from hostpact.billing.models import (
    BillingAddress,
    Credit,
    CreditUse,
    Invoice,
    InvoiceLine,
    InvoiceSequence,
    Order,
    Payment,
    PaymentMethod,
    Price,
    Product,
    Refund,
    Service,
    TldPrice,
)
from hostpact.privacy import registry
from hostpact.privacy.registry import Erasure, declare, not_personal, personal

_pay = ("essential.service.payment_processing",)
_card = dict(purposes=_pay)
declare(
    PaymentMethod,
    id=not_personal(), user=not_personal(), subject=not_personal(), gateway=not_personal(),
    token=personal("user.financial.credit_card.token", label="Card token", **_card),
    brand=personal("user.financial.credit_card.summary", label="Card brand", **_card),
    last4=personal("user.financial.credit_card.summary", label="Card last 4 digits", **_card),
    exp_month=personal("user.financial.credit_card.summary", label="Card expiry month", **_card),
    exp_year=personal("user.financial.credit_card.summary", label="Card expiry year", **_card),
    is_default=not_personal(), created_at=not_personal(),
)

_catalogue = "the public catalogue, the same for everyone"
declare(Product, **{f: not_personal(_catalogue) for f in (
    "id", "code", "name", "kind", "description", "unit", "active", "sort_order")})
declare(Price, **{f: not_personal(_catalogue) for f in (
    "id", "product", "cycle", "amount", "currency", "active")})
declare(TldPrice, **{f: not_personal(_catalogue) for f in (
    "id", "tld", "register", "renew", "transfer", "currency", "active")})
declare(InvoiceSequence, id=not_personal(), year=not_personal("a year"),
        last=not_personal("a count of invoices issued"))

_order = "what was ordered; tied to a person only through the order's subject"
declare(
    Order,
    id=not_personal(), user=not_personal(), subject=not_personal(),
    **{f: not_personal(_order) for f in (
        "kind", "description", "product", "price", "cycle", "quantity", "status", "currency",
        "subtotal", "tax", "total", "created_at")},
    # A domain name is not itself the person; who holds it is the domains app's data.
    domain=not_personal("the name of a domain the order is for; the registrant is declared by "
                        "the domains app"),
)
declare(
    Service,
    id=not_personal(), user=not_personal(), subject=not_personal(), order=not_personal(),
    **{f: not_personal(_order) for f in (
        "product", "cycle", "quantity", "status", "started_at", "renews_at", "created_at")},
    domain=not_personal("the name of the domain the service serves; the registrant is "
                        "declared by the domains app"),
)

_invoice = dict(purposes=_pay + ("essential.legal_obligation",), retention="tax",
                erasure=Erasure.KEEP)
declare(
    Invoice,
    id=not_personal(), subject=not_personal(), user=not_personal(), order=not_personal(),
    number=personal("user.financial.invoice", label="Invoice number", **_invoice),
    year=not_personal("part of the invoice number"), seq=not_personal("part of the number"),
    status=not_personal(), issued_at=not_personal(), due_at=not_personal(),
    paid_at=not_personal(), currency=not_personal(), tax_rate=not_personal("the GST rate"),
    subtotal=personal("user.financial.invoice", label="Invoice subtotal", **_invoice),
    tax=personal("user.financial.invoice", label="Invoice GST", **_invoice),
    total=personal("user.financial.invoice", label="Invoice total", **_invoice),
    billed_name=personal("user.financial.invoice", label="Billed name", **_invoice),
    billed_company=personal("user.financial.invoice", label="Billed company", **_invoice),
    billed_address=personal("user.financial.invoice", label="Billed address", **_invoice),
)
_line = "catalogue text and prices; who was billed is on the invoice"
declare(InvoiceLine, id=not_personal(), invoice=not_personal(), order=not_personal(),
        **{f: not_personal(_line) for f in ("description", "quantity", "unit_amount",
                                            "amount")})
declare(
    Payment,
    id=not_personal(), invoice=not_personal(), gateway=not_personal(),
    reference=personal("user.financial", label="Payment reference at the gateway", **_invoice),
    amount=not_personal("equals the invoice total, declared there"),
    currency=not_personal(), status=not_personal(), created_at=not_personal(),
)
declare(
    Refund,
    id=not_personal(), payment=not_personal(), order=not_personal(),
    amount=not_personal("at most the order total, declared with the invoice"),
    currency=not_personal(),
    reason=not_personal("why the platform refunded, in its own words (a failed registration, "
                        "staff's decision); never the subscriber's text"),
    reference=personal("user.financial", label="Refund reference at the gateway", **_invoice),
    created_at=not_personal(),
)
# A credit is money owed to the subscriber and, once used, a line of their invoices: kept with
# them for the tax period.
declare(
    Credit,
    id=not_personal(), user=not_personal(), subject=not_personal(),
    amount=personal("user.financial", label="Credit amount", **_invoice),
    remaining=personal("user.financial", label="Credit not yet used", **_invoice),
    currency=not_personal(), status=not_personal(), created_at=not_personal(),
    cancelled_at=not_personal(),
    reason=not_personal("why the platform granted the credit, in its own words (a banner "
                        "reward, staff's gesture); never a person's name"),
    reference=not_personal("the granting task's key, such as a reward's id"),
)
declare(
    CreditUse,
    id=not_personal(), credit=not_personal(), invoice=not_personal(), line=not_personal(),
    amount=personal("user.financial", label="Credit used on an invoice", **_invoice),
    created_at=not_personal(),
)

_bill = dict(purposes=_pay)
declare(
    BillingAddress,
    id=not_personal(), user=not_personal(), subject=not_personal(),
    name=personal("user.name", label="Billing name", **_bill),
    company=personal("user.contact.organization", label="Billing company", **_bill),
    line1=personal("user.contact.address.street", label="Billing address line 1", **_bill),
    line2=personal("user.contact.address.street", label="Billing address line 2", **_bill),
    city=personal("user.contact.address.city", label="Billing city", **_bill),
    region=personal("user.contact.address.state", label="Billing state or region", **_bill),
    postal_code=personal("user.contact.address.postal_code", label="Billing postal code",
                         **_bill),
    country=personal("user.contact.address.country", label="Billing country", **_bill),
    email=personal("user.contact.email", label="Billing email", **_bill),
    updated_at=not_personal(),
)


# Where the subject's pages show billing's rows, where a card is replaced, and what a
# subscriber's back-office page shows.
registry.section(PaymentMethod, "Card", order=30)
registry.section(BillingAddress, "Billing address", order=40)
registry.section(Invoice, "Invoice", order=50)
registry.section(Credit, "Credit", order=55)
registry.corrector(PaymentMethod, url_name="billing:card", text="Replace card")
registry.subscriber_inline(BillingAddress)
registry.subscriber_inline(PaymentMethod, fk_name="user")
registry.back_office("billing", roles=("support", "billing", "compliance"))
