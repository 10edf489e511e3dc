"""What every part of the reseller API shares: the calling reseller, pages, 404s and touches."""

from django.core.paginator import Paginator
from ninja import Schema
from pydantic import Field

from hostpact.core.problems import Problem, problem_responses
from hostpact.privacy.disclosures.services import DisclosureRefused
from hostpact.resellers import queries
from hostpact.resellers.services.touches import record_touch

MAX_PER_PAGE = 100
#: A customer named in a body: the customer id (HP-000123) or the account's id, as text.
CUSTOMER_REF = {"min_length": 1, "max_length": 16,
                "description": "The customer id (HP-000123) or the account's id, as text."}
KEY_REFUSED = ("The key is revoked, expired, lacks this operation's scope or is used from "
               "outside its address ranges (`code`: key_revoked, key_expired, scope_missing, "
               "address_refused)")


def declared(problems: dict | None = None, *, sells: bool = False, reads: bool = False,
             names: str = "") -> dict:
    """Return the ``openapi_extra`` of an operation: the key's refusals (403), and 404 when
    it ``names`` an object, besides ``problems``."""
    refused = KEY_REFUSED
    if sells:
        refused += "; or the reseller may not sell now (`code: may_not_sell`)"
    if reads:
        refused += "; or the disclosure to the reseller was refused (`code: disclosure_refused`)"
    out = {403: refused + "."}
    if names:
        out[404] = f"No {names} of yours has this id (another reseller's or ours)."
    for status, text in (problems or {}).items():
        out[status] = f"{out[status]} Also: {text}" if status in out else text
    return problem_responses(out)


class ResellerPageIn(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(25, ge=1, le=MAX_PER_PAGE)


def reseller_of(request):
    """Return the reseller whose key made this call."""
    return request.auth.reseller


def actor_of(request) -> str:
    """Return the audit and disclosure actor of this call: its key."""
    return f"reseller-key:{request.auth.key_id}"


def not_found(what: str) -> Problem:
    return Problem(404, "Not found", f"You have no {what} with this id.", code="not_found")


def customer(request, ref):
    """Return the calling reseller's customer ``ref`` (a pk or customer id), else 404."""
    user = queries.customer_of(reseller_of(request), ref) if ref not in (None, "") else None
    if user is None:
        raise not_found("customer")
    return user


def paged(qs, params: ResellerPageIn) -> tuple[dict, list]:
    """Return the page's counts (``count``, ``page``, ``pages``) and its rows."""
    paginator = Paginator(qs, params.per_page)
    page = paginator.get_page(params.page)
    return ({"count": paginator.count, "page": page.number, "pages": paginator.num_pages},
            list(page.object_list))


def touch(request, subject_ids, categories) -> None:
    """Disclose what this answer carries to the reseller, before it is sent (403 when the
    gate refuses: nothing is sent)."""
    try:
        record_touch(reseller_of(request), list(subject_ids), categories,
                     actor=actor_of(request))
    except DisclosureRefused as exc:
        raise Problem(403, "Disclosure refused", exc.reason, code="disclosure_refused")
