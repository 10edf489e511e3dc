"""What the storefront's items cost: one place turns a cart item into an invoice line.

The cart shows, and checkout invoices, the same ``LineItem`` for an item, so the total a
visitor sees is the total charged. Prices are read once per page (the TLD prices in one
query, the plans with their products in another). On a reseller's host every amount is the
reseller's (``billing.catalogue.realm_amount``): the realm in force for a visitor, the
customer's own realm for a customer.
"""

from dataclasses import dataclass
from decimal import Decimal

from hostpact.billing.catalogue import realm_amount, tld_prices
from hostpact.billing.models import Price
from hostpact.billing.services import LineItem, gst_rate, price_amount, quote_amount
from hostpact.core import realms
from hostpact.domains.queries import shown
from hostpact.storefront.models import CartItem

ZERO = Decimal("0.00")


def with_gst(amount: Decimal) -> Decimal:
    """Return ``amount`` plus GST, rounded to the paisa as an invoice rounds it."""
    return quote_amount(amount, 1)["total"]


def _years(n: int) -> str:
    return f"{n} year{'s' if n != 1 else ''}"


def tld_amount(tld, kind: str, realm_id: int | None) -> Decimal:
    """Return a year of ``kind`` ("register", "renew", "transfer") under ``tld`` (a
    ``TldPrice``) for ``realm_id``'s customers, before GST."""
    return realm_amount(realm_id, getattr(tld, kind), tld=tld.tld, kind=kind)


def _realm(realm_id):
    return realms.current() if realm_id is realms.CURRENT else realm_id


def line_item(item: CartItem, tlds: dict, prices: dict, realm_id=realms.CURRENT
              ) -> LineItem | None:
    """Return the invoice line of ``item`` at ``realm_id``'s prices (default: the realm in
    force), or None when its price is no longer offered."""
    realm_id = _realm(realm_id)
    if item.kind == CartItem.Kind.PLAN:
        price = prices.get(item.price_id)
        if price is None:
            return None
        text = f"{price.product.name} ({price.get_cycle_display().lower()})"
        if item.domain:
            text += f" for {shown(item.domain)}"
        return LineItem(description=text, amount=price_amount(price, realm_id), price=price,
                        kind="product", domain=item.domain)
    tld = tlds.get(item.domain.rsplit(".", 1)[-1])
    if tld is None:
        return None
    if item.kind == CartItem.Kind.REGISTER:
        privacy = ", domain privacy" if item.privacy else ""
        return LineItem(description=f"Domain registration {shown(item.domain)}, "
                                    f"{_years(item.years)}{privacy}",
                        amount=tld_amount(tld, "register", realm_id), quantity=item.years,
                        kind="domain_registration",
                        domain=item.domain)
    if item.kind == CartItem.Kind.TRANSFER:  # a transfer adds one year to the registration
        return LineItem(description=f"Domain transfer in {shown(item.domain)}, {_years(1)}",
                        amount=tld_amount(tld, "transfer", realm_id), kind="domain_transfer",
                        domain=item.domain)
    return LineItem(description=f"Domain renewal {shown(item.domain)}, {_years(item.years)}",
                    amount=tld_amount(tld, "renew", realm_id), quantity=item.years,
                    kind="domain_renewal",
                    domain=item.domain)


def line_item_for_registration(name: str, years: int, privacy: bool,
                               realm_id=realms.CURRENT) -> LineItem | None:
    """Return the registration line of ``name`` (A-label) at ``realm_id``'s prices, or None
    for an unpriced TLD."""
    return line_item(CartItem(kind=CartItem.Kind.REGISTER, domain=name, years=years,
                              privacy=privacy), tld_prices(), {}, realm_id)


def line_item_for_renewal(name: str, years: int, realm_id=realms.CURRENT) -> LineItem | None:
    """Return the renewal line of domain ``name`` (A-label) at ``realm_id``'s prices, or None
    for an unpriced TLD."""
    return line_item(CartItem(kind=CartItem.Kind.RENEW, domain=name, years=years),
                     tld_prices(), {}, realm_id)


@dataclass
class Line:
    item: CartItem
    line: LineItem | None

    @property
    def shown_domain(self) -> str:
        return shown(self.item.domain) if self.item.domain else ""

    def _quote(self, key: str) -> Decimal:
        return quote_amount(self.line.amount, self.line.quantity)[key] if self.line else ZERO

    @property
    def subtotal(self) -> Decimal:
        return self._quote("subtotal")

    @property
    def tax(self) -> Decimal:
        return self._quote("tax")

    @property
    def total(self) -> Decimal:
        return self._quote("total")


@dataclass
class Priced:
    lines: list[Line]

    """The items' lines; GST is rounded per line, as the invoice rounds it."""

    @property
    def subtotal(self) -> Decimal:
        return sum((ln.subtotal for ln in self.lines), ZERO)

    @property
    def tax(self) -> Decimal:
        return sum((ln.tax for ln in self.lines), ZERO)

    @property
    def total(self) -> Decimal:
        return sum((ln.total for ln in self.lines), ZERO)

    @property
    def rate_percent(self) -> str:
        return f"{(gst_rate() * 100).normalize():f}"

    @property
    def unavailable(self) -> list[Line]:
        return [ln for ln in self.lines if ln.line is None]


def price_items(items: list[CartItem], realm_id=realms.CURRENT) -> Priced:
    """Return each item with its invoice line at ``realm_id``'s prices (default: the realm in
    force), and the totals with GST."""
    realm_id = _realm(realm_id)
    tlds = tld_prices() if any(i.kind != CartItem.Kind.PLAN for i in items) else {}
    wanted = {i.price_id for i in items if i.price_id}
    prices = ({p.pk: p for p in Price.objects.select_related("product").filter(
        pk__in=wanted, active=True, product__active=True)} if wanted else {})
    return Priced([Line(i, line_item(i, tlds, prices, realm_id)) for i in items])
