"""Visit counting (policy 2.3.1, C07): a random id with performance consent, linked to
nothing; without consent no cookie at all, a daily salted hash, the salt gone after 48 hours."""

import datetime
import hashlib

import pytest
from django.apps import apps
from django.http import HttpResponse, JsonResponse
from django.test import Client, RequestFactory

from hostpact.analytics import services, visits
from hostpact.analytics.middleware import VisitMiddleware
from hostpact.analytics.models import VisitDay, VisitHash, Visitor, VisitSalt
from hostpact.analytics.tests.conftest import PERFORMANCE, START
from hostpact.core import clock
from hostpact.privacy.cookies import cookie
from hostpact.privacy.rights.retention import services as retention

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
UA = "Mozilla/5.0 (X11; Linux x86_64) Test/1.0"


def page(request):
    return HttpResponse("<p>page</p>", content_type="text/html; charset=utf-8")


def view(*, consent=None, cookies=None, at=START, ip="192.0.2.10", ua=UA, method="get",
         respond=page):
    """One page view through VisitMiddleware; return the response."""
    request = getattr(RequestFactory(), method)("/", REMOTE_ADDR=ip, HTTP_USER_AGENT=ua)
    if consent is not None:
        request.consent = consent
    request.COOKIES.update(cookies or {})
    with clock.freeze(at):
        response = VisitMiddleware(respond)(request)
        visits.writer.flush()
    return response


def day_of(at) -> VisitDay:
    with clock.freeze(at):
        return VisitDay.objects.get(day=clock.today())


@pytest.mark.commitment("C07")
def test_with_performance_consent_a_random_id_counts_repeat_visits():
    """A consenting visitor gets hp_visitor holding a random 32-hex id and nothing else; a
    second view the same day counts a view, a view on another day a repeat visit."""
    first = view(consent=PERFORMANCE)
    visitor_id = first.cookies["hp_visitor"].value
    assert visits.valid_id(visitor_id)
    assert first.cookies["hp_visitor"]["max-age"] == 365 * 86400
    assert first.cookies["hp_visitor"]["httponly"]
    view(consent=PERFORMANCE, cookies={"hp_visitor": visitor_id})
    again = view(consent=PERFORMANCE, cookies={"hp_visitor": visitor_id}, at=START + DAY)
    assert again.cookies["hp_visitor"].value == visitor_id
    row = Visitor.objects.get()
    assert (row.visitor_id, row.days, row.views) == (visitor_id, 2, 3)
    first_day, next_day = day_of(START), day_of(START + DAY)
    assert (first_day.visitors, first_day.returning, first_day.views) == (1, 0, 2)
    assert (next_day.visitors, next_day.returning, next_day.views) == (1, 1, 1)
    assert not VisitHash.objects.exists()


@pytest.mark.commitment("C07")
def test_the_random_ids_are_different_for_every_visitor():
    """Two visitors from the same address and browser get different ids (nothing derived)."""
    one = view(consent=PERFORMANCE).cookies["hp_visitor"].value
    two = view(consent=PERFORMANCE).cookies["hp_visitor"].value
    assert one != two and Visitor.objects.count() == 2


def test_a_forged_visitor_cookie_is_replaced():
    """A cookie value that is not a random id (an email, a long string) is not stored; the
    visitor gets a fresh id."""
    response = view(consent=PERFORMANCE, cookies={"hp_visitor": "asha@example.test"})
    fresh = response.cookies["hp_visitor"].value
    assert visits.valid_id(fresh)
    assert list(Visitor.objects.values_list("visitor_id", flat=True)) == [fresh]


@pytest.mark.commitment("C07")
def test_no_model_links_the_visitor_table_to_users():
    """The Visitor table has no relation to any other table, no table relates to it, and its
    only personal field is the random id."""
    assert not [f for f in Visitor._meta.get_fields() if f.is_relation]
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.get_fields():
            assert getattr(f, "related_model", None) is not Visitor, f"{model} links visitors"
    from hostpact.privacy import registry

    assert set(registry.for_model(Visitor).personal_fields()) == {"visitor_id"}
    assert cookie("hp_visitor").category == "performance"


@pytest.mark.commitment("C07")
def test_a_logged_in_subscriber_leaves_nothing_of_theirs_in_the_visit_tables(subscriber):
    """A signed-in subscriber's visit stores the random id only: no customer ID, email or
    name anywhere in the row."""
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_USER_AGENT=UA)
    request.consent, request.user = PERFORMANCE, subscriber
    with clock.freeze(START):
        response = VisitMiddleware(page)(request)
    visits.writer.flush()
    row = Visitor.objects.values().get()
    text = " ".join(str(v) for v in row.values()) + response.cookies["hp_visitor"].value
    for secret in (subscriber.customer_id, subscriber.email, subscriber.profile.name):
        assert secret not in text
    assert set(row) == {"id", "visitor_id", "first_day", "last_day", "days", "views",
                        "updated_at"}
    assert row["visitor_id"] == response.cookies["hp_visitor"].value


@pytest.mark.commitment("C07")
def test_without_consent_no_cookie_is_set_and_a_daily_hash_counts_the_visitor():
    """No consent: no cookie; the visitor is counted once a day by SHA-256 of the day's salt,
    address and user agent; neither the address nor the user agent is stored."""
    first = view()
    assert not first.cookies
    view()
    view(ip="192.0.2.11")
    row = VisitHash.objects.get(digest=_expected_digest("192.0.2.10"))
    assert row.views == 2
    assert VisitHash.objects.count() == 2
    counts = day_of(START)
    assert (counts.anonymous, counts.views, counts.visitors) == (2, 3, 0)
    stored = " ".join(str(v) for r in VisitHash.objects.values() for v in r.values())
    assert "192.0.2.10" not in stored and "Mozilla" not in stored
    assert not Visitor.objects.exists()


def _expected_digest(ip: str) -> str:
    with clock.freeze(START):
        salt = VisitSalt.objects.get(day=clock.today()).salt
    return hashlib.sha256(f"{salt}\n{ip}\n{UA}".encode()).hexdigest()


@pytest.mark.commitment("C07")
def test_the_same_visitor_gets_another_hash_the_next_day():
    """A new day has a new salt, so yesterday's visitor cannot be recognised."""
    view()
    view(at=START + DAY)
    assert VisitSalt.objects.count() == 2
    digests = list(VisitHash.objects.values_list("digest", flat=True))
    assert len(set(digests)) == 2
    assert day_of(START + DAY).returning == 0


@pytest.mark.commitment("C07")
def test_salts_are_destroyed_after_48_hours_and_hashes_after_two_days():
    """The periodic task destroys a salt 48 hours after it was drawn, not before; the
    retention run deletes the hashes after 2 days; the day's counts stay."""
    view()
    with clock.freeze(START + 47 * datetime.timedelta(hours=1)):
        assert services.destroy_visit_salts() == 0
    with clock.freeze(START + 48 * datetime.timedelta(hours=1, seconds=1)):
        assert services.destroy_visit_salts() == 1
    assert not VisitSalt.objects.exists()
    with clock.freeze(START + 2 * DAY + datetime.timedelta(minutes=1)):
        retention.run()
    assert not VisitHash.objects.exists()
    assert day_of(START).anonymous == 1


def test_the_salt_task_is_scheduled(settings):
    """The salt destruction and the demographic snapshot are periodic tasks."""
    tasks = {path for path, _ in settings.PERIODIC_TASKS}
    assert {"hostpact.analytics.tasks.destroy_visit_salts",
            "hostpact.analytics.tasks.snapshot_demographics"} <= tasks


@pytest.mark.parametrize("respond", [
    lambda r: JsonResponse({"a": 1}),
    lambda r: HttpResponse("<p>gone</p>", status=404, content_type="text/html"),
    lambda r: HttpResponse(status=302),
])
def test_only_html_pages_answered_200_are_counted(respond):
    """JSON, errors and redirects are no page views."""
    view(consent=PERFORMANCE, respond=respond)
    view(respond=respond)
    assert not VisitDay.objects.exists()


def test_a_post_is_no_page_view():
    """A form POST is not counted."""
    view(method="post")
    assert not VisitDay.objects.exists()


def test_a_huge_user_agent_and_an_ipv6_address_are_counted():
    """A 50,000-character user agent and an IPv6 address hash like any other."""
    response = view(ua="x" * 50_000, ip="2001:db8::77")
    assert response.status_code == 200
    assert VisitHash.objects.count() == 1


@pytest.mark.commitment("C07")
def test_counting_that_fails_never_fails_the_page(monkeypatch):
    """When buffering the view raises, the page is answered all the same."""
    def broken(*args):
        raise RuntimeError("no memory")

    monkeypatch.setattr(visits, "count_anonymous", broken)
    assert view().status_code == 200


def test_the_admin_is_no_visit(client):
    """The back office's pages are not counted as visits."""
    client.get("/admin/login/")
    visits.writer.flush()
    assert not VisitDay.objects.exists()


@pytest.mark.commitment("C07")
def test_through_the_whole_stack_refused_consent_sets_no_visitor_cookie():
    """A real page view without a choice leaves no hp_visitor cookie, and counts the visit."""
    response = Client().get("/policy/", HTTP_USER_AGENT=UA)
    assert response.status_code == 200
    assert "hp_visitor" not in response.cookies
    visits.writer.flush()
    assert VisitHash.objects.count() == 1


@pytest.mark.commitment("C07")
def test_through_the_whole_stack_performance_consent_sets_the_visitor_cookie():
    """A real page view with performance granted in hp_consent sets hp_visitor, which the
    consent middleware lets through, and counts the visitor by its id."""
    from hostpact.consent import state, versions

    stored = state.Stored(frozenset({"required", "performance"}), versions.policy_version(),
                          versions.banner_revision(), "d" * 32, state.now_seconds(),
                          state.CHOSEN)
    client = Client(HTTP_USER_AGENT=UA)
    client.cookies[state.COOKIE] = state.encode(stored)
    response = client.get("/policy/")
    assert visits.valid_id(response.cookies["hp_visitor"].value)
    visits.writer.flush()
    assert Visitor.objects.get().visitor_id == response.cookies["hp_visitor"].value
    assert not VisitHash.objects.exists()
