"""Domains API: availability (public) and the caller's domain; the schemas of a registration,
which the storefront's ``POST /api/v1/domains`` (a paid registration) takes.

A contact in a body is either an existing contact's handle (``"C12-HP"``, or
``{"handle": "C12-HP"}``) or a new contact's fields; a name server is a host name (``"ns1.
example.test"``) or ``{"host", "addresses"}`` with the glue of a host inside the domain.
Another subscriber's domain answers 404, like one that does not exist.
"""

from datetime import datetime
from typing import Annotated

from ninja import Field, Query, Router, Schema
from pydantic import BeforeValidator

from hostpact.accounts.schemas import Strict
from hostpact.core.problems import Problem, problem_responses
from hostpact.core.validation import country_choices
from hostpact.domains import queries, services
from hostpact.domains.models import MAX_NAMESERVERS, MAX_YEARS, MIN_YEARS, Domain
from hostpact.domains.names import MAX_NAME, tlds

router = Router(tags=["domains"])

MAX_CHECK = 10  # names in one availability query
COUNTRY_CODES = sorted(code for code, _ in country_choices())
HOST = {"min_length": 1, "max_length": MAX_NAME}
ERASED = ("The account is being erased or has been erased (`code: erasure_started`); "
          "nothing was changed.")


def _as_object(key: str):
    """Let a bare string stand for ``{key: string}`` (a handle, a host name)."""
    def convert(value):
        return {key: value} if isinstance(value, str) else value
    return BeforeValidator(convert)


class AddressIn(Strict):
    line1: str = Field(min_length=1, max_length=200)
    line2: str | None = Field(default=None, max_length=200)
    city: str = Field(min_length=1, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    postal_code: str = Field(min_length=1, max_length=20)
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code, e.g. IN.",
                         json_schema_extra={"enum": COUNTRY_CODES})


class ContactIn(Strict):
    """An existing contact (``handle`` alone, or the handle as a bare string) or a new one
    (``name``, ``email``, ``phone`` and ``address`` required, ``organization`` optional)."""

    handle: str | None = Field(default=None, pattern=r"^[Cc][0-9]{1,18}-[Hh][Pp]$",
                               max_length=21, description="An existing contact: C<number>-HP.")
    name: str | None = Field(default=None, min_length=1, max_length=200)
    organization: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, min_length=3, max_length=254,
                              json_schema_extra={"format": "email"})
    phone: str | None = Field(default=None, min_length=1, max_length=32,
                              description="With the country code, for example +91 98765 43210.")
    address: AddressIn | None = None


Contact = Annotated[ContactIn, _as_object("handle")]


class ContactsIn(Strict):
    registrant: Contact
    admin: Contact
    tech: Contact
    billing: Contact


class NameserverIn(Strict):
    host: str = Field(**HOST)
    addresses: list[Annotated[str, Field(min_length=2, max_length=45)]] = Field(
        default_factory=list, max_length=8,
        description="Glue (IPv4/IPv6), only for a host inside the domain, and then required.")


class DomainIn(Strict):
    name: str = Field(description="The domain (IDNs accepted; stored as its A-label).",
                      **HOST)
    years: int = Field(1, ge=MIN_YEARS, le=MAX_YEARS)
    nameservers: list[Annotated[NameserverIn, _as_object("host")]] = Field(
        min_length=2, max_length=MAX_NAMESERVERS,
        description="2 to 13 name servers: host names, or objects with glue addresses.")
    contacts: ContactsIn
    privacy: bool = False


class CheckQuery(Schema):
    name: str = Field(min_length=1, max_length=MAX_CHECK * (MAX_NAME + 1),
                      description=f"Up to {MAX_CHECK} names, separated by commas or spaces; "
                                  "a name without a TLD is checked under every TLD served.")


class CheckResult(Schema):
    name: str
    unicode: str
    available: bool
    reason: str | None


class CheckOut(Schema):
    results: list[CheckResult]


class NameserverOut(Schema):
    host: str
    addresses: list[str]


class DomainContactOut(Schema):
    handle: str
    name: str | None
    organization: str | None
    email: str | None
    published: bool


class DomainOut(Schema):
    name: str
    unicode: str
    roid: str
    created_at: datetime
    expires_at: datetime
    auto_renew: bool
    statuses: list[str]
    transfer_lock_until: datetime
    privacy: bool
    nameservers: list[NameserverOut]
    contacts: dict[str, DomainContactOut]


def domain_body(domain: Domain) -> dict:
    """Return the API's representation of ``domain``."""
    roles = {r.role: r.contact for r in domain.roles.select_related("contact")}
    return {
        "name": domain.name, "unicode": queries.shown(domain.name), "roid": domain.roid,
        "created_at": domain.created_at, "expires_at": domain.expires_at,
        "auto_renew": domain.auto_renew, "statuses": list(domain.statuses),
        "transfer_lock_until": domain.transfer_lock_until, "privacy": domain.privacy,
        "nameservers": [{"host": n.host, "addresses": list(n.addresses)}
                        for n in domain.nameservers.all()],
        "contacts": {role: {"handle": c.handle, "name": c.name, "organization": c.organization,
                            "email": c.email, "published": c.publish}
                     for role, c in roles.items()},
    }


def _queries(text: str) -> list[str]:
    out = []
    for part in text.replace(",", " ").split():
        out += [f"{part}.{t}" for t in tlds()] if "." not in part.strip(".") else [part]
    return list(dict.fromkeys(out))


def contact_value(value: ContactIn):
    """Return a contact of a body as ``register_domain`` takes it: a handle or fields."""
    if value.handle is not None:
        extra = [k for k in ContactIn.model_fields if k != "handle" and getattr(value, k)]
        if extra:
            raise Problem(400, "Invalid contact", "Give a handle or a new contact's fields, "
                                                  "not both.", errors={extra[0]: [
                                                      "Not allowed beside a handle."]})
        return value.handle
    data = value.dict(exclude={"handle", "address"})
    data.update(value.address.dict() if value.address else {})
    return {k: v for k, v in data.items() if v is not None}


@router.get("/domains/check", response=CheckOut, auth=None, openapi_extra=problem_responses({
    400: "A name is not valid: `code` names the rule (`label_length`, `ldh`, `hyphen`, "
         "`reserved_hyphens`, `idna`, `name_length`, `tld`, …) and `errors.name` says where; "
         f"or more than {MAX_CHECK} names.",
}))
def check(request, query: Query[CheckQuery]):
    """Whether each name can be registered (a bare label is tried under every TLD served)."""
    names = _queries(query.name)
    if not names or len(names) > MAX_CHECK:
        raise Problem(400, "Invalid query", f"Ask about 1 to {MAX_CHECK} names at once.",
                      errors={"name": [f"Give 1 to {MAX_CHECK} names."]})
    results = services.check_availability(names)
    refused = next((r for r in results if r.name is None), None)
    if refused is not None:
        raise Problem(400, "Invalid domain name", refused.message, code=refused.reason,
                      errors={"name": [refused.message]})
    return {"results": [{"name": r.name.ascii, "unicode": r.name.unicode,
                         "available": r.available, "reason": r.reason or None}
                        for r in results]}


# The status of a refusal by its code; any other code is a bad field (400).
STATUS_OF = {"taken": 409, "prohibited": 409, "not_sponsor": 409, "not_authoritative": 400}


@router.get("/domains/{name}", response=DomainOut, openapi_extra=problem_responses({
    404: "The caller has no domain of this name.",
}))
def domain(request, name: str):
    """One of the caller's domains (by its A-label or U-label)."""
    found = queries.domain_of(request.auth, name)
    if found is None:
        raise Problem(404, "Not found", "You have no domain of this name.")
    return domain_body(found)
