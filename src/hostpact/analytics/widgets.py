"""The analytics app's widgets of the back office's home page, registered from ``ready()``.

Diagnostics (requests, errors, latency percentiles, top path templates) and visit statistics
go to every staff member: they are counts of requests, never of people singled out.
Demographics of subscribers are counts of people, so every cell under 10 is suppressed
(``privacy.aggregates``), and only marketing and compliance see them.
"""

from hostpact.analytics import charts, queries
from hostpact.core.dashboard import register_widget
from hostpact.privacy.aggregates import STAFF, suppress


def _short(day) -> str:
    return day.strftime("%d %b")


def diagnostics_context(request) -> dict:
    """Return requests and errors by day, latency percentiles and the top path templates."""
    days = queries.requests_by_day()
    return {
        "days": days,
        "requests_chart": charts.bars("Requests per day",
                                      [(_short(d["day"]), d["requests"]) for d in days]),
        "errors_chart": charts.bars("Server errors (5xx) per day",
                                    [(_short(d["day"]), d["server_errors"]) for d in days]),
        "percentiles": queries.percentiles(),
        "routes": queries.top_routes(),
    }


def visits_context(request) -> dict:
    """Return visits by day and the repeat-visit counts."""
    days = queries.visits_by_day()
    return {
        "days": days,
        "chart": charts.bars("Visitors per day",
                             [(_short(d["day"]), d["visitors"] + d["anonymous"]) for d in days]),
        "totals": queries.visit_totals(),
    }


def demographics_context(request) -> dict:
    """Return the snapshot's cells by country and by age band, small cells suppressed."""
    snapshot = queries.demographics()
    tables = []
    for key, title in (("country", "Subscribers by country"), ("age_band", "By age band")):
        cells, total = suppress(dict(sorted(snapshot[key].items())), STAFF)
        tables.append({"title": title, "cells": cells, "total": total,
                       "chart": charts.bars(title, [(c.label, c.count) for c in cells])})
    return {"taken_at": snapshot["taken_at"], "tables": tables, "threshold": STAFF}


def register() -> None:
    """Register the analytics widgets (``AnalyticsConfig.ready``)."""
    register_widget("analytics.diagnostics", title="Requests, errors and latency",
                    template="analytics/widgets/diagnostics.html",
                    context=diagnostics_context, order=10)
    register_widget("analytics.visits", title="Visits and repeat visits",
                    template="analytics/widgets/visits.html", context=visits_context,
                    order=20)
    register_widget("analytics.demographics", title="Subscribers: broad demographics",
                    template="analytics/widgets/demographics.html",
                    context=demographics_context, order=60, roles=("marketing", "compliance"))
