"""The reseller API's removal requests (C39): ask, follow, list. They work while the reseller
may not sell: its customers keep their rights."""

from ninja import Query, Router, Schema, Status
from pydantic import Field

from hostpact.accounts.schemas import Strict
from hostpact.core.problems import Problem
from hostpact.resellers.api_common import (
    CUSTOMER_REF,
    ResellerPageIn,
    actor_of,
    customer,
    declared,
    not_found,
    paged,
    reseller_of,
)
from hostpact.resellers.keyauth import ResellerKey
from hostpact.resellers.models import RemovalRequest

router = Router(tags=["resellers"])


class ResellerRemovalIn(Strict):
    customer: str = Field(**CUSTOMER_REF)


class ResellerRemovalOut(Schema):
    id: int
    due: str
    state: str
    customer: str
    requested_at: str
    business_days_left: int
    report: dict


class ResellerRemovalPage(Schema):
    count: int
    page: int
    pages: int
    items: list[ResellerRemovalOut]


def _out(rr) -> dict:
    from hostpact.resellers.services import removals

    return removals.as_dict(rr)


@router.post("/removal-requests", response={200: ResellerRemovalOut, 201: ResellerRemovalOut},
             auth=ResellerKey("removals"), openapi_extra=declared(names="customer"))
def request_removal(request, payload: ResellerRemovalIn):
    """Ask the platform to remove a customer's data: due 30 business days later on the
    reseller's country's calendar. An open request for the same customer answers 200 with
    the first."""
    from hostpact.resellers.services import removals

    user = customer(request, payload.customer)
    try:
        rr, created = removals.request_removal(reseller_of(request), user,
                                               actor=actor_of(request))
    except removals.RemovalError as exc:
        raise Problem(400, "Removal refused", str(exc),
                      errors={exc.field or "customer": [str(exc)]})
    return Status(201 if created else 200, _out(rr))


@router.get("/removal-requests/{rr_id}", response=ResellerRemovalOut, auth=ResellerKey("removals"),
            openapi_extra=declared(names="removal request"))
def read_removal(request, rr_id: str):
    """One of the reseller's removal requests, with its report once done."""
    rr = None
    if rr_id.isdigit() and len(rr_id) < 19:
        rr = RemovalRequest.objects.filter(reseller=reseller_of(request), pk=rr_id).first()
    if rr is None:
        raise not_found("removal request")
    return _out(rr)


@router.get("/removal-requests", response=ResellerRemovalPage, auth=ResellerKey("removals"),
            openapi_extra=declared())
def list_removals(request, params: Query[ResellerPageIn]):
    """The reseller's removal requests, the soonest due first."""
    counts, rows = paged(RemovalRequest.objects.filter(reseller=reseller_of(request)), params)
    return {**counts, "items": [_out(rr) for rr in rows]}
