"""The reseller API's orders and domains of its customers, and the calling key itself."""

from ninja import Query, Router, Schema, Status
from pydantic import Field

from hostpact.accounts.schemas import Strict
from hostpact.billing import services as billing
from hostpact.billing.attachments import resolve_domain
from hostpact.billing.models import Order, Price
from hostpact.core.problems import Problem
from hostpact.domains.models import Domain
from hostpact.domains.names import NameRefused, parse_host
from hostpact.domains.queries import shown
from hostpact.resellers.api_common import (
    CUSTOMER_REF,
    ResellerPageIn,
    actor_of,
    customer,
    declared,
    not_found,
    paged,
    reseller_of,
    touch,
)
from hostpact.resellers.keyauth import ResellerKey
from hostpact.resellers.models import ApiKeyUse

router = Router(tags=["resellers"])
ANY = None  # any scope: a key may always read itself and its log
MAX_ID = 2**63 - 1


class ResellerOrderIn(Strict):
    customer: str = Field(**CUSTOMER_REF)
    price_id: int = Field(ge=1, le=MAX_ID)
    domain: str | None = Field(None, max_length=253,
                               description="One of the customer's domains it is for.")


def _order(o: Order) -> dict:
    return {"id": o.pk, "customer": o.user.customer_id if o.user else None, "kind": o.kind,
            "description": o.description, "domain": o.domain or None, "status": o.status,
            "total": str(o.total), "currency": o.currency, "created_at": o.created_at.isoformat()}


@router.get("/orders", response=dict, auth=ResellerKey("customers:read"),
            openapi_extra=declared(reads=True))
def list_orders(request, params: Query[ResellerPageIn]):
    """The orders of the reseller's customers, newest first."""
    qs = (Order.objects.filter(user__realm_id=reseller_of(request).realm_id)
          .select_related("user").order_by("-created_at", "-pk"))
    counts, rows = paged(qs, params)
    touch(request, {o.subject_id for o in rows}, ["user.account"])
    return {**counts, "items": [_order(o) for o in rows]}


@router.post("/orders", response={201: dict}, auth=ResellerKey("customers:write", sells=True),
             openapi_extra=declared({
                 400: "The price is not for sale or the customer has no such domain."},
                 sells=True, reads=True, names="customer"))
def place_order(request, payload: ResellerOrderIn):
    """Order a catalogue price for a customer at the reseller's price: an order and its open
    invoice (the reseller bills its customer)."""
    user = customer(request, payload.customer)
    price = Price.objects.filter(pk=payload.price_id).first()
    if price is None:
        raise Problem(400, "Invalid order", "There is no price with this id.",
                      errors={"price_id": ["There is no price with this id."]})
    domain = ""
    if payload.domain:
        domain = resolve_domain(user, payload.domain.strip())
        if domain is None:
            message = f"The customer has no domain named {payload.domain.strip()}."
            raise Problem(400, "Invalid order", message, errors={"domain": [message]})
    try:
        placed = billing.place_order(user, price, actor_of(request), domain=domain)
    except billing.BillingError as exc:
        raise Problem(400, "Order refused", str(exc), code=exc.code,
                      errors={exc.field or "body": [str(exc)]})
    touch(request, [user.subject_id], ["user.account"])
    return Status(201, {"order": _order(Order.objects.select_related("user")
                                        .get(pk=placed.order.pk)),
                        "invoice": placed.invoice.number})


def _domain(d: Domain) -> dict:
    return {"name": shown(d.name), "customer": d.user.customer_id, "state": d.state,
            "expires_at": d.expires_at.isoformat(), "auto_renew": d.auto_renew}


def _domains(request):
    return (Domain.objects.filter(user__realm_id=reseller_of(request).realm_id)
            .select_related("user"))


@router.get("/domains", response=dict, auth=ResellerKey("domains"),
            openapi_extra=declared(reads=True))
def list_domains(request, params: Query[ResellerPageIn]):
    """The domains of the reseller's customers, by name."""
    counts, rows = paged(_domains(request).order_by("name", "pk"), params)
    touch(request, {d.subject_id for d in rows}, ["user.account"])
    return {**counts, "items": [_domain(d) for d in rows]}


@router.get("/domains/{name}", response=dict, auth=ResellerKey("domains"),
            openapi_extra=declared(reads=True, names="domain"))
def read_domain(request, name: str):
    """One domain of the reseller's customers (A-label or U-label); anyone else's is 404."""
    try:
        ascii_name = parse_host(name).ascii
    except NameRefused:
        raise not_found("domain")
    d = _domains(request).filter(name=ascii_name).order_by("-pk").first()
    if d is None:
        raise not_found("domain")
    touch(request, [d.subject_id], ["user.account"])
    return _domain(d)


class ResellerKeyOut(Schema):
    key_id: str
    name: str
    scopes: list[str]
    ip_ranges: list[str]
    created_at: str
    expires_at: str


@router.get("/keys/me", response=ResellerKeyOut, auth=ResellerKey(ANY),
            openapi_extra=declared())
def key_me(request):
    """The calling key: its scopes, address ranges and expiry."""
    key = request.auth
    return {"key_id": key.key_id, "name": key.name, "scopes": key.scopes,
            "ip_ranges": key.ip_ranges, "created_at": key.created_at.isoformat(),
            "expires_at": key.expires_at.isoformat()}


@router.get("/keys/log", response=dict, auth=ResellerKey(ANY), openapi_extra=declared())
def key_log(request, params: Query[ResellerPageIn]):
    """Every call made with the reseller's keys, allowed or refused, newest first."""
    qs = ApiKeyUse.objects.filter(key__reseller=reseller_of(request)).select_related("key")
    counts, rows = paged(qs, params)
    return {**counts, "items": [
        {"key_id": u.key.key_id, "at": u.at.isoformat(), "method": u.method, "path": u.path,
         "status": u.status, "reason": u.reason, "client_ip": u.client_ip} for u in rows]}
