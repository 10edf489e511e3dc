"""Reads of the request log and the visit tables for the back office's dashboard.

Every figure is an aggregate: counts by day, by status class, by path template; latency
percentiles; visit counts. Nothing here returns an address or a user agent.
"""

import math
from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate

from hostpact.analytics.models import DemographicCount, RequestLog, VisitDay, Visitor
from hostpact.core import clock

PERCENTILES = (50, 95, 99)


def _days(n: int) -> list:
    today = clock.today()
    return [today - timedelta(days=i) for i in range(n - 1, -1, -1)]


def requests_by_day(days: int = 14) -> list[dict]:
    """Return, for each of the last ``days`` days, the requests and the 4xx and 5xx ones."""
    since = clock.now() - timedelta(days=days)
    rows = {r["day"]: r for r in RequestLog.objects.filter(at__gte=since)
            .annotate(day=TruncDate("at")).values("day")
            .annotate(requests=Count("id"),
                      client_errors=Count("id", filter=Q(status__gte=400, status__lt=500)),
                      server_errors=Count("id", filter=Q(status__gte=500)))}
    empty = {"requests": 0, "client_errors": 0, "server_errors": 0}
    return [{"day": d, **{k: rows.get(d, empty)[k] for k in empty}} for d in _days(days)]


def percentiles(hours: int = 24) -> dict[int, float | None]:
    """Return the p50, p95 and p99 of the request durations (ms) of the last ``hours``."""
    qs = RequestLog.objects.filter(at__gte=clock.now() - timedelta(hours=hours))
    n = qs.count()
    out: dict[int, float | None] = {}
    for p in PERCENTILES:
        if not n:
            out[p] = None
            continue
        index = min(n - 1, max(0, math.ceil(p * n / 100) - 1))  # the nearest rank
        out[p] = (qs.order_by("duration_ms").values_list("duration_ms", flat=True)[index])
    return out


def top_routes(days: int = 7, limit: int = 10) -> list[dict]:
    """Return the most requested path templates of the last ``days``, with their errors."""
    since = clock.now() - timedelta(days=days)
    return list(RequestLog.objects.filter(at__gte=since).values("route")
                .annotate(requests=Count("id"), errors=Count("id", filter=Q(status__gte=500)))
                .order_by("-requests", "route")[:limit])


def visits_by_day(days: int = 14) -> list[dict]:
    """Return the visit counts of each of the last ``days`` days (zeros where none)."""
    known = {v.day: v for v in VisitDay.objects.filter(day__gte=_days(days)[0])}
    out = []
    for d in _days(days):
        v = known.get(d)
        out.append({"day": d, "views": v.views if v else 0,
                    "visitors": v.visitors if v else 0, "returning": v.returning if v else 0,
                    "anonymous": v.anonymous if v else 0})
    return out


def visit_totals(days: int = 30) -> dict:
    """Return the last ``days`` days' totals, and the visitors ever seen on more than one
    day (repeat visitors, counted only for those who accepted performance cookies)."""
    since = clock.today() - timedelta(days=days - 1)
    sums = VisitDay.objects.filter(day__gte=since).aggregate(
        views=Sum("views"), visitors=Sum("visitors"), returning=Sum("returning"),
        anonymous=Sum("anonymous"))
    return {**{k: v or 0 for k, v in sums.items()},
            "repeat_visitors": Visitor.objects.filter(days__gt=1).count(),
            "known_visitors": Visitor.objects.count()}


def demographics() -> dict:
    """Return the latest snapshot: ``{"taken_at", "country": {label: n}, "age_band": …}``."""
    out: dict = {"taken_at": None, "country": {}, "age_band": {}}
    for cell in DemographicCount.objects.all():
        out[cell.dimension][cell.label] = cell.count
        out["taken_at"] = max(filter(None, [out["taken_at"], cell.taken_at]))
    return out
