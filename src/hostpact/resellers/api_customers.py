"""The reseller API's customers: list and search, sign up (without a card), read, opt out."""

from django.db.models import Exists, OuterRef
from ninja import Query, Router, Schema, Status
from pydantic import Field

from hostpact.accounts import services as accounts
from hostpact.accounts.queries import profile_of
from hostpact.accounts.schemas import IsoDate, Strict
from hostpact.billing.models import Service
from hostpact.core import crypto
from hostpact.core.customer_ids import pk_from_customer_id
from hostpact.core.problems import Problem, form_errors
from hostpact.domains.models import Domain
from hostpact.resellers import queries
from hostpact.resellers.api_common import (
    ResellerPageIn,
    actor_of,
    customer,
    declared,
    paged,
    reseller_of,
    touch,
)
from hostpact.resellers.forms import CustomerForm
from hostpact.resellers.keyauth import ResellerKey
from hostpact.resellers.models import OptOut
from hostpact.resellers.services.customers import create_customer
from hostpact.resellers.services.resellers import ResellerError
from hostpact.resellers.services.touches import ACCOUNT

router = Router(tags=["resellers"])

UNDER_13 = Problem(403, "Sign-up refused", "We do not accept customers under 13, and stored "
                   "nothing about this request.", code="under_13")
ADDRESS = ("line1", "line2", "city", "region", "postal_code", "country")


class ResellerAddressIn(Strict):
    line1: str = Field(min_length=1, max_length=200)
    line2: str | None = Field(default=None, max_length=200)
    city: str = Field(min_length=1, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    postal_code: str = Field(min_length=1, max_length=20)
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2, e.g. IN.")


class ResellerCustomerIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=254)
    phone: str = Field(min_length=1, max_length=32)
    address: ResellerAddressIn
    date_of_birth: IsoDate = Field(description="YYYY-MM-DD; under 13 is refused.")
    password: str = Field(min_length=1, max_length=128)


class ResellerSearchIn(ResellerPageIn):
    q: str = Field("", max_length=254, description="A customer id or an exact email.")


class ResellerCustomerOut(Schema):
    id: int
    customer_id: str
    email: str
    name: str
    created_at: str
    opted_out: bool


class ResellerCustomerPage(Schema):
    count: int
    page: int
    pages: int
    items: list[ResellerCustomerOut]


def _row(user, opted_out: bool) -> dict:
    profile = profile_of(user)
    return {"id": user.pk, "customer_id": user.customer_id, "email": user.email,
            "name": profile.name if profile else "", "created_at": user.date_joined.isoformat(),
            "opted_out": opted_out}


def _search(qs, q: str):
    q = q.strip()
    if not q:
        return qs
    pk = pk_from_customer_id(q)
    if pk is not None:
        return qs.filter(pk=pk)
    return qs.filter(email_index=crypto.blind_index("email", q))


@router.get("/customers", response=ResellerCustomerPage, auth=ResellerKey("customers:read"),
            openapi_extra=declared(reads=True))
def list_customers(request, params: Query[ResellerSearchIn]):
    """The reseller's customers, oldest first (``per_page`` up to 100); ``q`` finds one by
    customer id or exact email."""
    reseller = reseller_of(request)
    opted = OptOut.objects.filter(reseller=reseller, subject_id=OuterRef("subject_id"))
    qs = (_search(queries.customers_of(reseller), params.q).select_related("profile")
          .annotate(opted_out=Exists(opted)).order_by("pk"))
    counts, rows = paged(qs, params)
    touch(request, [u.subject_id for u in rows], ACCOUNT)
    return {**counts, "items": [_row(u, u.opted_out) for u in rows]}


def _detail(request, user) -> dict:
    reseller = reseller_of(request)
    profile = profile_of(user)
    out = _row(user, OptOut.objects.filter(reseller=reseller, subject_id=user.subject_id)
               .exists())
    out.update(phone=profile.phone if profile else "",
               date_of_birth=profile.date_of_birth.isoformat() if profile and
               profile.date_of_birth else None,
               address={k: getattr(profile, k) or "" for k in ADDRESS} if profile else None,
               services=[{"id": s.pk, "product": s.product.code, "status": s.status}
                         for s in Service.objects.filter(user=user).select_related("product")],
               domains=list(Domain.objects.filter(user=user, ended_at__isnull=True)
                            .values_list("name", flat=True)))
    return out


@router.post("/customers", response={201: dict}, auth=ResellerKey("customers:write",
                                                                  sells=True),
             openapi_extra=declared({
                 403: "Under 13 (`code: under_13`, nothing stored).",
                 409: "A customer of yours has this email (`code: email_taken`).",
             }, sells=True, reads=True))
def create(request, payload: ResellerCustomerIn):
    """Sign up a customer in the reseller's realm: the sign-up body without the card."""
    body = payload.dict()
    data = {**{k: v for k, v in body.items() if k != "address"},
            **{k: v for k, v in (body["address"] or {}).items() if v is not None}}
    form = CustomerForm(data=data)
    if not form.is_valid():
        if any(e.code == "under_13" for e in form.errors.as_data().get("date_of_birth", [])):
            raise UNDER_13
        raise Problem(400, "Invalid customer", "Some fields are not valid.",
                      errors=form_errors(form, {k: f"address.{k}" for k in ADDRESS}))
    try:
        user = create_customer(reseller_of(request), form.cleaned_data,
                               actor=actor_of(request))
    except accounts.UnderMinimumAge:
        raise UNDER_13
    except accounts.EmailTaken:
        raise Problem(409, "Email already registered", "A customer of yours has this email.",
                      code="email_taken", errors={"email": ["A customer has this email."]})
    except ResellerError as exc:
        raise Problem(403, "Selling refused", exc.message, code="may_not_sell")
    touch(request, [user.subject_id], ACCOUNT)
    return Status(201, _detail(request, user))


@router.get("/customers/{ref}", response=dict, auth=ResellerKey("customers:read"),
            openapi_extra=declared(reads=True, names="customer"))
def read(request, ref: str):
    """One customer of the reseller (by id or customer id), with services and domains;
    anyone else's is 404."""
    user = customer(request, ref)
    touch(request, [user.subject_id], ACCOUNT)
    return _detail(request, user)


@router.post("/customers/{ref}/opt-out", response={200: dict, 201: dict},
             auth=ResellerKey("opt-outs"), openapi_extra=declared(names="customer"))
def opt_out(request, ref: str):
    """Record that the customer wants no more contact from the reseller (C40); again is 200
    with the first record. It works while the reseller may not sell: customers keep their
    rights (and the answer carries nothing the reseller did not send)."""
    from hostpact.resellers.services.choice import record_opt_out

    user = customer(request, ref)
    row, created = record_opt_out(reseller_of(request), user, channel="api",
                                  actor=actor_of(request))
    return Status(201 if created else 200, {"customer": user.customer_id,
                                            "recorded_at": row.recorded_at.isoformat(),
                                            "channel": row.channel})
