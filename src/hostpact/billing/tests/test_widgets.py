"""Billing's back-office widget: new orders and revenue over the last 30 days."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.test import RequestFactory

from hostpact.billing import services, widgets
from hostpact.billing.tests.helpers import price
from hostpact.core import clock, dashboard
from hostpact.testing.factories import make_staff

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 30, 8, 0, tzinfo=UTC)


def staff_request(*groups):
    request = RequestFactory().get("/admin/")
    request.user = make_staff(groups=groups)
    return request


def test_the_widget_counts_orders_and_money_of_the_last_30_days_only(subscriber):
    """An order paid 40 days ago is out; one paid and one refunded order within 30 days count:
    2 orders placed, 2 paid, 351.64 received, 175.82 refunded, 175.82 net."""
    with clock.freeze(datetime(2026, 5, 21, 8, 0, tzinfo=UTC)):
        old = services.place_order(subscriber, price(), "system")
        services.pay_invoice(old.invoice, "system")
    with clock.freeze(datetime(2026, 6, 20, 8, 0, tzinfo=UTC)):
        kept = services.place_order(subscriber, price(), "system")
        services.pay_invoice(kept.invoice, "system")
        gone = services.place_order(subscriber, price(), "system")
        services.pay_invoice(gone.invoice, "system")
        services.refund_order(gone.order, actor="system", reason="Staff's decision.")
    with clock.freeze(NOW):
        context = widgets.revenue_context(staff_request("billing"))
    assert (context["orders"], context["paid"]) == (2, 2)
    assert (context["received"], context["refunded"], context["net"]) == (
        Decimal("351.64"), Decimal("175.82"), Decimal("175.82"))
    assert [row["orders"] for row in context["rows"]] == [2]


def test_billing_and_compliance_see_the_widget_other_roles_do_not(subscriber):
    """The widget renders its figures for the billing role; support does not get it."""
    with clock.freeze(NOW):
        placed = services.place_order(subscriber, price(), "system")
        services.pay_invoice(placed.invoice, "system")
        shown = dict((w.key, html) for w, html in
                     dashboard.widgets_for(staff_request("billing")))
        hidden = [w.key for w, _ in dashboard.widgets_for(staff_request("support"))]
    assert "₹175.82" in shown["billing.revenue"] and "Orders placed" in shown["billing.revenue"]
    assert "billing.revenue" not in hidden
