"""Buying one domain outright, as ``POST /api/v1/domains`` does: invoice, registration and
charge of the card on file, in one transaction.

Everything is checked (the name, the years, the name servers, the contacts, the TLD's price)
before the card is charged, and the charge comes last: a declined card rolls the registration
back with the invoice, so nothing is left. The built-in registry keeps its rows in the same
database, which is what makes the one transaction whole; a registry outside it takes the
checkout's path (``Fulfilment`` rows carried out by a task, finished or refunded).
"""

from django.db import transaction

from hostpact.billing.services import pay_invoice, place_items
from hostpact.domains.models import Domain
from hostpact.domains.names import NameRefused, parse_domain
from hostpact.domains.services.common import DomainError
from hostpact.domains.services.registration import register_domain
from hostpact.storefront.pricing import line_item_for_registration


@transaction.atomic
def buy_domain(user, name: str, *, years, nameservers, contacts: dict, privacy: bool,
               actor: str) -> Domain:
    """Register ``name`` for ``user`` and charge its registration to the card on file.

    Raises ``DomainError`` (what is wrong with the request; nothing charged) or
    ``BillingError`` (the charge was refused; nothing registered).
    """
    try:
        ascii_name = parse_domain(name).ascii
    except NameRefused as exc:
        raise DomainError(str(exc), "name", exc.rule) from None
    line = (line_item_for_registration(ascii_name, years, bool(privacy), user.realm_id)
            if isinstance(years, int) and not isinstance(years, bool) else None)
    domain = register_domain(user, ascii_name, years=years, nameservers=nameservers,
                             contacts=contacts, privacy=privacy, actor=actor)
    if line is None:
        raise DomainError(f"Domains under .{domain.name.rsplit('.', 1)[-1]} are not on sale.",
                          "name", "not_on_sale")
    placed = place_items(user, [line], actor=actor)
    pay_invoice(placed.invoice, actor)
    return domain
