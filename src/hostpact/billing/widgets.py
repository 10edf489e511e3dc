"""Billing's widget of the back office's home page: new orders and revenue, last 30 days.

Amounts summed over every subscriber are the platform's figures, not anyone's data, so the
widget shows them to the billing and compliance roles without suppression. It reads a few
aggregates over indexed dates, as the home page renders it on every view.
"""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate

from hostpact.billing.models import Order, Payment, Refund
from hostpact.core import clock
from hostpact.core.dashboard import register_widget

DAYS = 30
ZERO = Decimal("0.00")


def revenue_context(request) -> dict:
    """Return orders placed and paid, money received and refunded, by day and in all, over
    the last ``DAYS`` days (amounts GST included)."""
    since = clock.now() - timedelta(days=DAYS)
    orders = Order.objects.filter(created_at__gte=since)
    placed = (orders.annotate(day=TruncDate("created_at")).values("day")
              .annotate(n=Count("id")).order_by())
    received = (Payment.objects.filter(created_at__gte=since)
                .annotate(day=TruncDate("created_at")).values("day")
                .annotate(amount=Sum("amount")).order_by())
    refunded = (Refund.objects.filter(created_at__gte=since)
                .annotate(day=TruncDate("created_at")).values("day")
                .annotate(amount=Sum("amount")).order_by())
    days: dict = {}
    for row in placed:
        days.setdefault(row["day"], {"orders": 0, "received": ZERO, "refunded": ZERO})
        days[row["day"]]["orders"] = row["n"]
    for key, rows in (("received", received), ("refunded", refunded)):
        for row in rows:
            days.setdefault(row["day"], {"orders": 0, "received": ZERO, "refunded": ZERO})
            days[row["day"]][key] = row["amount"] or ZERO
    table = [{"day": day, **values, "net": values["received"] - values["refunded"]}
             for day, values in sorted(days.items(), reverse=True)]
    received_total = sum((d["received"] for d in table), ZERO)
    refunded_total = sum((d["refunded"] for d in table), ZERO)
    return {
        "days": DAYS, "rows": table,
        "orders": sum(d["orders"] for d in table),
        "paid": orders.filter(status__in=[Order.Status.PAID, Order.Status.REFUNDED]).count(),
        "received": received_total, "refunded": refunded_total,
        "net": received_total - refunded_total,
    }


def register() -> None:
    """Register billing's widget (``BillingConfig.ready``)."""
    register_widget("billing.revenue", title="New orders and revenue (30 days)",
                    template="billing/widgets/revenue.html", context=revenue_context,
                    order=30, roles=("billing", "compliance"))
