"""Billing API: the catalogue, orders, the caller's services, and invoices (viewing, paying).

Amounts are decimal strings in rupees ("1499.00") so no client meets a float. An invoice or a
service is looked up together with its owner: another subscriber's answers 404.
"""

from datetime import datetime

from django.conf import settings
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from hostpact.accounts.schemas import Strict
from hostpact.billing import services
from hostpact.billing.attachments import resolve_domain
from hostpact.billing.catalogue import realm_amount, tld_prices
from hostpact.billing.models import Invoice, Order, Price, Product, Service
from hostpact.core import audit, realms
from hostpact.core.problems import Problem, problem_responses

router = Router(tags=["billing"])

MAX_ID = 2**63 - 1  # the largest primary key (BigAutoField); beyond it no row can match


class PriceOut(Schema):
    id: int
    cycle: str
    amount: str
    currency: str


class ProductOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    description: str
    unit: str
    prices: list[PriceOut]


class OrderIn(Strict):
    price_id: int = Field(..., ge=1, le=MAX_ID)
    quantity: int = Field(1, ge=1, le=services.MAX_QUANTITY)
    domain: str | None = Field(None, max_length=253,
                               description="One of the caller's domains the service is for.")


class Amounts(Schema):
    amount: str
    tax: str
    total: str


class CataloguePrice(Amounts):
    id: int
    cycle: str


class CatalogueProduct(Schema):
    code: str
    name: str
    kind: str
    description: str
    unit: str
    prices: list[CataloguePrice]


class CatalogueTld(Schema):
    tld: str
    # "register" is a method of pydantic's models, so the field goes by an alias.
    register_amounts: Amounts = Field(..., alias="register")
    renew: Amounts
    transfer: Amounts


class Tax(Schema):
    name: str
    rate: str


class CatalogueOut(Schema):
    currency: str
    tax: Tax
    products: list[CatalogueProduct]
    tlds: list[CatalogueTld]


class ServiceOut(Schema):
    id: int
    product: str
    name: str
    kind: str
    cycle: str
    quantity: int
    state: str
    domain: str | None
    started_at: datetime | None
    renews_at: datetime | None
    created_at: datetime


class LineOut(Schema):
    description: str
    quantity: int
    unit_amount: str
    amount: str


class PaymentOut(Schema):
    reference: str
    amount: str
    currency: str
    status: str
    created_at: datetime


class RefundOut(Schema):
    order: int
    amount: str
    currency: str
    reason: str
    reference: str
    created_at: datetime


class BilledTo(Schema):
    name: str
    company: str
    address: str


class InvoiceSummary(Schema):
    number: str
    status: str
    issued_at: datetime
    due_at: datetime
    paid_at: datetime | None
    currency: str
    total: str


class InvoiceOut(InvoiceSummary):
    subtotal: str
    tax_rate: str
    tax: str
    billed_to: BilledTo
    lines: list[LineOut]
    payments: list[PaymentOut]
    refunds: list[RefundOut]


class InvoicePage(Schema):
    count: int
    items: list[InvoiceSummary]


class OrderOut(Schema):
    id: int
    kind: str
    product: str | None
    description: str
    domain: str | None
    cycle: str
    quantity: int
    status: str
    subtotal: str
    tax: str
    total: str
    currency: str
    created_at: datetime


class PlacedOut(Schema):
    order: OrderOut
    invoice: InvoiceOut


class Paging(Schema):
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=10_000_000)


def _money(value) -> str:
    return f"{value:.2f}"


def _summary(invoice: Invoice) -> dict:
    return {"number": invoice.number, "status": invoice.status, "issued_at": invoice.issued_at,
            "due_at": invoice.due_at, "paid_at": invoice.paid_at, "currency": invoice.currency,
            "total": _money(invoice.total)}


def _invoice(invoice: Invoice) -> dict:
    return {
        **_summary(invoice),
        "subtotal": _money(invoice.subtotal), "tax_rate": f"{invoice.tax_rate.normalize():f}",
        "tax": _money(invoice.tax),
        "billed_to": {"name": invoice.billed_name or "", "company": invoice.billed_company or "",
                      "address": invoice.billed_address or ""},
        "lines": [{"description": ln.description, "quantity": ln.quantity,
                   "unit_amount": _money(ln.unit_amount), "amount": _money(ln.amount)}
                  for ln in invoice.lines.all()],
        "payments": [{"reference": p.reference, "amount": _money(p.amount),
                      "currency": p.currency, "status": p.status, "created_at": p.created_at}
                     for p in invoice.payments.all()],
        "refunds": [{"order": r.order_id, "amount": _money(r.amount), "currency": r.currency,
                     "reason": r.reason, "reference": r.reference, "created_at": r.created_at}
                    for p in invoice.payments.all() for r in p.refunds.all()],
    }


def _own_invoice(request, number: str) -> Invoice:
    invoice = (Invoice.objects.prefetch_related("lines", "payments__refunds")
               .filter(number=number[:20], user=request.auth).first())
    if invoice is None:
        raise Problem(404, "Not found", "You have no invoice with this number.")
    return invoice


@router.get("/products", response=list[ProductOut], auth=None)
def products(request):
    """The catalogue: active products with their prices per billing cycle (before GST); on a
    reseller's host, the reseller's prices."""
    realm_id = realms.current()
    out = []
    for product in Product.objects.filter(active=True).prefetch_related("prices"):
        prices = [{"id": p.id, "cycle": p.cycle,
                   "amount": _money(services.price_amount(p, realm_id)),
                   "currency": p.currency} for p in product.prices.all() if p.active]
        if prices:
            out.append({"id": product.id, "code": product.code, "name": product.name,
                        "kind": product.kind, "description": product.description,
                        "unit": product.unit, "prices": prices})
    return out


def _amounts(amount) -> dict:
    quoted = services.quote_amount(amount)
    return {"amount": _money(quoted["subtotal"]), "tax": _money(quoted["tax"]),
            "total": _money(quoted["total"])}


@router.get("/catalogue", response=CatalogueOut, auth=None, by_alias=True)
def catalogue(request):
    """What is for sale: products with their prices per cycle, and the TLDs with what a
    domain costs a year to register, renew or transfer in; each amount before GST, its GST
    and total. On a reseller's host the amounts are the reseller's."""
    realm_id = realms.current()

    def tld(row, kind: str) -> dict:
        return _amounts(realm_amount(realm_id, getattr(row, kind), tld=row.tld, kind=kind))

    products = []
    for product in Product.objects.filter(active=True).prefetch_related("prices"):
        prices = [{"id": p.id, "cycle": p.cycle, **_amounts(services.price_amount(p, realm_id))}
                  for p in product.prices.all() if p.active]
        if prices:
            products.append({"code": product.code, "name": product.name, "kind": product.kind,
                             "description": product.description, "unit": product.unit,
                             "prices": prices})
    rows = tld_prices()
    tlds = [{"tld": name, "register": tld(rows[name], "register"),
             "renew": tld(rows[name], "renew"), "transfer": tld(rows[name], "transfer")}
            for name in settings.DOMAIN_TLDS if name in rows]
    return {"currency": "INR", "tax": {"name": "GST", "rate": f"{services.gst_rate():f}"},
            "products": products, "tlds": tlds}


def _service(service: Service) -> dict:
    return {"id": service.pk, "product": service.product.code, "name": service.product.name,
            "kind": service.product.kind, "cycle": service.cycle, "quantity": service.quantity,
            "state": service.status, "domain": service.domain or None,
            "started_at": service.started_at, "renews_at": service.renews_at,
            "created_at": service.created_at}


@router.get("/services", response=list[ServiceOut])
def service_list(request):
    """The caller's services, newest first, each with its product, domain and state."""
    return [_service(s) for s in Service.objects.filter(user=request.auth)
            .select_related("product")]


@router.get("/services/{service_id}", response=ServiceOut,
            openapi_extra=problem_responses({404: "The caller has no service with this id."}))
def service_detail(request, service_id: str):
    """One of the caller's services."""
    found = None
    if service_id.isascii() and service_id.isdigit() and int(service_id) <= MAX_ID:
        found = (Service.objects.select_related("product")
                 .filter(pk=int(service_id), user=request.auth).first())
    if found is None:
        raise Problem(404, "Not found", "You have no service with this id.")
    return _service(found)


_STATUS = {"no_profile": 403, "not_open": 409, "no_card": 409, "card_declined": 402}


def _refused(exc: services.BillingError, title: str) -> Problem:
    return Problem(_STATUS.get(exc.code, 400), title, str(exc), code=exc.code,
                   errors={exc.field or "body": [str(exc)]})


@router.post("/orders", response={201: PlacedOut}, openapi_extra=problem_responses({
    400: "The price does not exist or is not for sale, the quantity is not valid, or the "
         "caller has no domain of the name given.",
    403: "The account has no subscriber profile to bill (`code: no_profile`), or the "
         "reseller whose host was called is not taking orders (`code: not_selling`).",
    410: "The account is being erased or has been erased (`code: erasure_started`); nothing "
         "was changed.",
}))
def place_order(request, payload: OrderIn):
    """Order a price: answers the order and its open invoice, ready to pay; an invoice the
    caller's credits cover (total 0) is answered paid."""
    price = Price.objects.filter(pk=payload.price_id).first()
    if price is None:
        raise Problem(400, "Invalid order", "There is no price with this id.",
                      errors={"price_id": ["There is no price with this id."]})
    domain = ""
    if payload.domain:
        domain = resolve_domain(request.auth, payload.domain.strip())
        if domain is None:
            message = f"You have no domain named {payload.domain.strip()}."
            raise Problem(400, "Invalid order", message, errors={"domain": [message]})
    try:
        placed = services.place_order(request.auth, price, audit.actor_of(request.auth),
                                      quantity=payload.quantity, domain=domain)
    except services.BillingError as exc:
        raise _refused(exc, "Order refused")
    invoice = placed.invoice
    if invoice.total == 0:  # its credits cover it: paid at once, no card needed
        services.pay_invoice(invoice, audit.actor_of(request.auth))
        invoice = _own_invoice(request, invoice.number)
    order = Order.objects.get(pk=placed.order.pk)
    return Status(201, {
        "order": {"id": order.pk, "kind": order.kind, "product": order.product.code,
                  "description": order.description, "domain": order.domain or None,
                  "cycle": order.cycle,
                  "quantity": order.quantity, "status": order.status,
                  "subtotal": _money(order.subtotal), "tax": _money(order.tax),
                  "total": _money(order.total), "currency": order.currency,
                  "created_at": order.created_at},
        "invoice": _invoice(invoice),
    })


@router.get("/invoices", response=InvoicePage)
def invoices(request, paging: Query[Paging]):
    """The caller's invoices, newest first."""
    rows = Invoice.objects.filter(user=request.auth)
    page = rows[paging.offset:paging.offset + paging.limit]
    return {"count": rows.count(), "items": [_summary(i) for i in page]}


@router.get("/invoices/{number}", response=InvoiceOut,
            openapi_extra=problem_responses({404: "The caller has no invoice with this number."}))
def invoice(request, number: str):
    """One of the caller's invoices with its lines, GST and payments."""
    return _invoice(_own_invoice(request, number))


@router.post("/invoices/{number}/pay", response=InvoiceOut, openapi_extra=problem_responses({
    400: "Card payments are not available right now (`code: gateway_unavailable`).",
    402: "The card was declined (`code: card_declined`); the invoice stays open.",
    404: "The caller has no invoice with this number.",
    409: "The invoice is not open (`code: not_open`) or there is no card on file "
         "(`code: no_card`).",
    410: "The account is being erased or has been erased (`code: erasure_started`); nothing "
         "was changed.",
}))
def pay(request, number: str):
    """Pay an open invoice with the caller's stored card; 402 if the card is declined."""
    invoice = _own_invoice(request, number)
    try:
        services.pay_invoice(invoice, audit.actor_of(request.auth))
    except services.BillingError as exc:
        raise _refused(exc, "Payment failed")
    return _invoice(_own_invoice(request, number))
