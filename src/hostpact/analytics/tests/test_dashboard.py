"""The back office's home page: branded hostpact, the registered widgets above the apps,
charts with text tables, demographics with small cells suppressed (C18)."""

import datetime

import pytest
from django.test import Client, RequestFactory

from hostpact.analytics import charts, requestlog, services, visits, widgets
from hostpact.analytics.models import DemographicCount
from hostpact.analytics.tests.conftest import PERFORMANCE, START
from hostpact.core import clock, dashboard
from hostpact.testing.factories import make_staff, make_subscriber

pytestmark = pytest.mark.django_db


def staff_client(*groups, superuser=False) -> Client:
    client = Client()
    client.force_login(make_staff(groups=groups, superuser=superuser))
    return client


def home(client) -> str:
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_page_is_branded_and_shows_the_widgets_above_the_apps():
    """The admin index says "hostpact back office", not "Django administration", and shows
    the diagnostics and visits widgets before the app list."""
    html = home(staff_client(superuser=True))
    assert "hostpact back office" in html and "Django administration" not in html
    assert html.index("Requests, errors and latency") < html.index('class="app-')
    for title in ("Requests, errors and latency", "Visits and repeat visits",
                  "Data-subject requests", "Subscribers: broad demographics"):
        assert title in html
        assert f"{title} is unavailable" not in html


@pytest.mark.commitment("C18")
def test_diagnostics_show_requests_errors_percentiles_and_top_routes():
    """Logged requests appear as counts per day, errors by class, p50/p95/p99 and the top
    path templates, each as an SVG chart and a text table."""
    with clock.freeze(START):
        client = Client()
        for _ in range(3):
            client.get("/policy/")
        client.get("/nothing/")
        requestlog.writer.flush()
        context = widgets.diagnostics_context(None)
        html = home(staff_client(superuser=True))
    today = context["days"][-1]
    assert (today["requests"], today["client_errors"], today["server_errors"]) == (4, 1, 0)
    assert set(context["percentiles"]) == {50, 95, 99}
    assert all(v is not None for v in context["percentiles"].values())
    assert context["routes"][0] == {"route": "/policy/", "requests": 3, "errors": 0}
    assert "<svg" in html and "<caption>Requests and errors by day</caption>" in html
    assert "<code>/policy/</code>" in html


def test_percentiles_are_nearest_rank():
    """Durations 1..100 ms give p50 50, p95 95, p99 99; a day without requests gives none."""
    with clock.freeze(START):
        for n in range(1, 101):
            requestlog.writer.append((START, "/x/", "GET", 200, float(n), "", ""))
        requestlog.writer.flush()
        assert widgets.queries.percentiles() == {50: 50.0, 95: 95.0, 99: 99.0}
    with clock.freeze(START + datetime.timedelta(days=2)):
        assert widgets.queries.percentiles() == {50: None, 95: None, 99: None}


@pytest.mark.commitment("C07")
def test_visit_statistics_show_repeat_visits():
    """A visitor seen on two days counts as a repeat visitor on the dashboard."""
    from django.http import HttpResponse

    from hostpact.analytics.middleware import VisitMiddleware

    def page(request):
        return HttpResponse("<p>x</p>", content_type="text/html")

    vid = None
    for day in range(2):
        request = RequestFactory().get("/")
        request.consent = PERFORMANCE
        if vid:
            request.COOKIES["hp_visitor"] = vid
        with clock.freeze(START + datetime.timedelta(days=day)):
            vid = VisitMiddleware(page)(request).cookies["hp_visitor"].value
        visits.writer.flush()
    with clock.freeze(START + datetime.timedelta(days=1)):
        totals = widgets.visits_context(None)["totals"]
        html = home(staff_client(superuser=True))
    assert (totals["repeat_visitors"], totals["known_visitors"], totals["returning"]) == (1, 1, 1)
    assert "Repeat visitors" in html


def test_the_daily_visit_counts_have_a_back_office_list():
    """Any staff role can open the list of daily visit counts."""
    response = staff_client("support").get("/admin/analytics/visitday/")
    assert response.status_code == 200


@pytest.mark.commitment("C18")
def test_demographics_are_counted_by_the_task_with_small_cells_suppressed():
    """Twelve subscribers in India born in 1990, two in Nepal born in 2000, three in Sri
    Lanka born in 1970: the snapshot counts them; the widget shows India and the 35-44 band,
    suppresses the small cells (and the total, which would give them away) and never shows a
    name."""
    with clock.freeze(START):
        for country, born, n in (("IN", 1990, 12), ("NP", 2000, 2), ("LK", 1970, 3)):
            for _ in range(n):
                make_subscriber(country=country, date_of_birth=datetime.date(born, 1, 1))
        assert services.snapshot_demographics() == 17
        context = widgets.demographics_context(None)
        html = home(staff_client("marketing"))
    country, age = context["tables"]
    assert {c.label: c.count for c in country["cells"]} == {"IN": 12, "LK": None, "NP": None}
    assert country["total"] is None
    assert {c.label: c.count for c in age["cells"]} == {"25-34": None, "35-44": 12,
                                                        "55-64": None}
    assert "suppressed" in html and "Asha" not in html
    assert DemographicCount.objects.count() == 6


def test_the_snapshot_replaces_the_previous_one():
    """A second snapshot leaves only its own cells."""
    with clock.freeze(START):
        make_subscriber(country="IN")
        services.snapshot_demographics()
        services.snapshot_demographics()
    assert DemographicCount.objects.filter(dimension="country").count() == 1


@pytest.mark.parametrize(("born", "band"), [
    (None, "unknown"), (datetime.date(2030, 1, 1), "unknown"),
    (datetime.date(2010, 6, 2), "under 18"), (datetime.date(2008, 6, 1), "18-24"),
    (datetime.date(1961, 6, 2), "55-64"),
    (datetime.date(1950, 1, 1), "65 and over"),
])
def test_age_bands(born, band):
    """Ages fall into broad bands; no date or a future one is unknown."""
    assert services.age_band(born, datetime.date(2026, 6, 1)) == band


@pytest.mark.parametrize(("country", "label"), [("in", "IN"), ("", "unknown"),
                                                 (None, "unknown"), ("India", "unknown")])
def test_country_labels(country, label):
    """Countries are upper-case codes; anything else is unknown."""
    assert services.country_label(country) == label


def test_demographics_are_only_for_marketing_and_compliance():
    """Support staff do not see the demographics widget; the diagnostics they do."""
    html = home(staff_client("support"))
    assert "Subscribers: broad demographics" not in html
    assert "Requests, errors and latency" in html


def test_widgets_are_gated_by_role_and_staff_status(subscriber):
    """A widget with roles shows only to those roles and superusers; nobody but active staff
    sees any widget."""
    dashboard.register_widget("test.secret", title="Secret", template="analytics/chart.html",
                              context=lambda r: {"chart": charts.bars("t", [])},
                              roles=("compliance",))
    try:
        def keys(user):
            request = RequestFactory().get("/admin/")
            request.user = user
            return [w.key for w, _ in dashboard.widgets_for(request)]

        assert "test.secret" in keys(make_staff(groups=["compliance"]))
        assert "test.secret" in keys(make_staff(superuser=True))
        assert "test.secret" not in keys(make_staff(groups=["support"]))
        assert keys(subscriber) == []
    finally:
        dashboard.unregister_widget("test.secret")


def test_a_broken_widget_is_shown_as_unavailable_not_a_500():
    """A widget whose context raises is replaced by a note; the page still renders."""
    def broken(request):
        raise RuntimeError("table missing")

    dashboard.register_widget("test.broken", title="Broken one",
                              template="analytics/chart.html", context=broken, order=1)
    try:
        html = home(staff_client(superuser=True))
    finally:
        dashboard.unregister_widget("test.broken")
    assert "Broken one is unavailable right now." in html


def test_charts_scale_bars_and_skip_suppressed_values():
    """The largest value fills the chart; a suppressed value draws no bar; no data draws
    nothing rather than dividing by zero."""
    chart = charts.bars("t", [("a", 10), ("b", 5), ("c", None)])
    a, b, c = chart.bars
    assert a.height == charts.HEIGHT - 10 and b.height == a.height / 2 and c.height == 0
    assert charts.bars("t", [("a", 0)]).bars[0].height == 0
    assert charts.bars("t", []).bars == []
