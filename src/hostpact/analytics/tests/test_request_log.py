"""The request log (policy 3.2, C18): path templates, not paths; off the request path; bad
input cleaned; a failing write never fails the request."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from hostpact.analytics import requestlog
from hostpact.analytics.middleware import RequestLogMiddleware
from hostpact.analytics.models import RequestLog
from hostpact.analytics.tests.conftest import START
from hostpact.core import clock

pytestmark = pytest.mark.django_db


def logged() -> list[RequestLog]:
    requestlog.writer.flush()
    return list(RequestLog.objects.order_by("id"))


@pytest.mark.commitment("C18")
def test_a_request_is_logged_by_its_path_template_only_when_flushed():
    """A request leaves a row with its time, path template (not the path with its id),
    method, status, duration, address and user agent, written at the flush."""
    path = reverse("policy:version", args=[987654])
    with clock.freeze(START):
        response = Client(HTTP_USER_AGENT="Probe/1.0").get(path, REMOTE_ADDR="192.0.2.44")
    assert not RequestLog.objects.exists()
    (row,) = logged()
    assert (row.at, row.route, row.method, row.status) == (
        START, "/policy/<int:number>/", "GET", response.status_code)
    assert "987654" not in row.route
    assert (row.client_ip, row.user_agent) == ("192.0.2.44", "Probe/1.0")
    assert row.duration_ms >= 0


def test_an_api_route_is_logged_by_its_template():
    """An API call with a domain name in its path is logged by the route's template."""
    Client().get("/api/v1/domains/secret-name.test")
    (row,) = logged()
    assert "secret-name" not in row.route and row.route.startswith("/api/v1/domains/")


def test_the_home_page_is_logged_as_the_root():
    """The empty route of the home page is logged as "/"."""
    Client().get("/")
    (row,) = logged()
    assert row.route == "/"


def test_an_unmatched_path_is_logged_without_the_path():
    """A 404 that matched no route is logged as "(no route)", never the path asked for."""
    Client().get("/no/such/page/secret-token-123/")
    (row,) = logged()
    assert (row.route, row.status) == (requestlog.NO_ROUTE, 404)


def test_static_files_and_the_health_check_are_not_logged():
    """The health check and static files leave no row: they would drown the real traffic."""
    Client().get(reverse("healthz"))
    Client().get("/static/analytics/dashboard.css")
    assert logged() == []


def test_a_huge_user_agent_and_control_characters_are_cut_down():
    """A 10,000-character user agent keeps 300 characters; control characters are spaces."""
    Client(HTTP_USER_AGENT="a\x00b\r\n" + "x" * 10_000).get("/nothing/")
    (row,) = logged()
    assert len(row.user_agent) == 300 and row.user_agent.startswith("a b  ")


def test_an_ipv6_address_is_kept_normalised():
    """An IPv6 client's address is stored in its compressed form."""
    Client().get("/nothing/", REMOTE_ADDR="2001:0db8:0000:0000:0000:0000:0000:0001")
    (row,) = logged()
    assert row.client_ip == "2001:db8::1"


@pytest.mark.parametrize("forwarded", ["not-an-address", "999.1.1.1, 10.0.0.1", ",,,", " "])
def test_a_malformed_forwarded_for_is_no_address(settings, forwarded):
    """Behind the TLS proxy, a malformed X-Forwarded-For leaves the address empty, not a
    stored string of the client's choosing, and the request is answered."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = Client().get("/nothing/", HTTP_X_FORWARDED_FOR=forwarded,
                            HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 404
    (row,) = logged()
    assert row.client_ip == ""


def test_a_forwarded_address_is_taken_behind_the_proxy(settings):
    """Behind the TLS proxy the first X-Forwarded-For address is the client's."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    Client().get("/nothing/", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.1",
                 HTTP_X_FORWARDED_PROTO="https")
    (row,) = logged()
    assert row.client_ip == "198.51.100.7"


def test_a_request_without_a_resolver_match_is_logged():
    """A response made before URL resolution (no ``resolver_match``) is still logged."""
    request = RequestFactory().get("/early/")
    from django.http import HttpResponse

    RequestLogMiddleware(lambda r: HttpResponse(status=403))(request)
    (row,) = logged()
    assert (row.route, row.status) == (requestlog.NO_ROUTE, 403)


@pytest.mark.commitment("C18")
def test_a_broken_log_writer_never_fails_the_request(monkeypatch):
    """When noting the request raises, the page is answered all the same."""
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(requestlog, "note", broken)
    response = Client().get(reverse("policy:current"))
    assert response.status_code == 200


@pytest.mark.commitment("C18")
def test_a_failing_database_write_is_logged_and_loses_only_its_rows(monkeypatch, caplog):
    """A flush whose insert fails logs the failure and returns 0; nothing is raised, and the
    next rows are written."""
    Client().get("/nothing/")

    def fail(rows):
        raise RuntimeError("database gone")

    monkeypatch.setattr(requestlog.writer, "_write", fail)
    assert requestlog.writer.flush() == 0
    assert "could not be written" in caplog.text
    monkeypatch.undo()
    Client().get("/nothing/")
    assert len(logged()) == 1


def test_the_log_can_be_switched_off(settings):
    """With ANALYTICS_REQUEST_LOG off (measuring its cost) nothing is logged."""
    settings.ANALYTICS_REQUEST_LOG = False
    Client().get("/nothing/")
    assert logged() == []
