"""Helpers for the rights tests: a subscriber with an order, an invoice, a session and mail."""

import datetime

from hostpact.billing import catalogue
from hostpact.billing import services as billing
from hostpact.billing.models import Price
from hostpact.core import audit
from hostpact.testing import factories

T0 = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def price(code="shared-starter", cycle="monthly") -> Price:
    catalogue.ensure_default_catalogue()  # a transactional test may have flushed the catalogue
    return Price.objects.select_related("product").get(product__code=code, cycle=cycle)


def subscriber_with_invoice(**overrides):
    """A subscriber who ordered and paid once: the invoice is kept under the tax basis."""
    user = factories.make_subscriber(**overrides)
    actor = audit.actor_of(user)
    placed = billing.place_order(user, price(), actor)
    billing.pay_invoice(placed.invoice, actor)
    return user, placed.invoice


def values_of(user) -> list[str]:
    """Plain values of the subscriber that must not survive erasure."""
    p = user.profile
    return [user.email, p.name, p.phone, p.line1]


def at(days: int) -> datetime.datetime:
    return T0 + datetime.timedelta(days=days)

