"""Storefront API: ``POST /api/v1/domains``, a domain bought outright and charged to the card on
file (the body is the domains API's ``DomainIn``; the answer its ``DomainOut``)."""

from ninja import Router
from ninja.responses import Status

from hostpact.billing.services import BillingError
from hostpact.core import audit
from hostpact.core.problems import Problem, problem_responses
from hostpact.domains.api import ERASED, STATUS_OF, DomainIn, DomainOut, contact_value, domain_body
from hostpact.domains.services.common import DomainError
from hostpact.domains.services.contacts import ROLES
from hostpact.storefront.services.direct import buy_domain

router = Router(tags=["domains"])


@router.post("/domains", response={201: DomainOut}, openapi_extra=problem_responses({
    400: "A field is not valid: the name (`code` names the rule), the years, a name server "
         "(count, host-name rules, glue) or a contact (`code: unknown_contact`, "
         "`invalid_contact`); or the TLD is not on sale (`code: not_on_sale`); `errors` names "
         "the field. Nothing was charged.",
    402: "The charge to the card on file was refused (`code: card_declined`, `no_card`, "
         "`gateway_unavailable`); nothing was registered.",
    409: "The name is already registered (`code: taken`); nothing was changed.",
    410: ERASED,
}))
def register(request, payload: DomainIn):
    """Register a domain for the caller with name servers and the four contacts, charging
    the registration (the TLD's price per year, GST added) to the card on file."""
    contacts = {role: contact_value(getattr(payload.contacts, role)) for role in ROLES}
    try:
        domain = buy_domain(
            request.auth, payload.name, years=payload.years,
            nameservers=[n.dict() for n in payload.nameservers], contacts=contacts,
            privacy=payload.privacy, actor=audit.actor_of(request.auth))
    except DomainError as exc:
        raise Problem(STATUS_OF.get(exc.code, 400), "Registration refused", str(exc),
                      code=exc.code, errors={exc.field or "body": [str(exc)]})
    except BillingError as exc:
        raise Problem(402, "Payment refused", str(exc), code=exc.code,
                      errors={exc.field or "card": [str(exc)]})
    return Status(201, domain_body(domain))
