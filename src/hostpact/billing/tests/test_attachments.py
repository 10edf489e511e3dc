"""A service attached to one of the subscriber's domains, found by the registered resolver."""

import pytest

from hostpact.billing import attachments
from hostpact.billing.models import Order, Service
from hostpact.billing.services import place_order
from hostpact.billing.tests.helpers import price
from hostpact.testing.factories import make_subscriber

pytestmark = pytest.mark.django_db


def post(client, body):
    return client.post("/api/v1/orders", body, content_type="application/json")


@pytest.fixture
def api(client, subscriber):
    client.force_login(subscriber)
    return client


@pytest.fixture
def resolver(monkeypatch):
    """A resolver knowing one domain, mine.test (typed in any case), for any user."""
    def find(user, text):
        return "mine.test" if text.lower() == "mine.test" else None

    monkeypatch.setattr(attachments, "_resolver", None)
    attachments.register_domain_resolver(find)
    return find


def test_an_order_for_my_domain_carries_it_to_the_order_and_service(api, subscriber,
                                                                    resolver):
    """POST /orders with a domain the resolver finds: 201, the order and its service carry
    the A-label; GET /services and /services/{id} show it."""
    resp = post(api, {"price_id": price("ssl-dv", "annual").pk, "domain": "Mine.test"})
    assert resp.status_code == 201, resp.content
    assert resp.json()["order"]["domain"] == "mine.test"
    service = Service.objects.get(user=subscriber)
    assert service.domain == "mine.test" and service.order.domain == "mine.test"
    [listed] = api.get("/api/v1/services").json()
    assert (listed["id"], listed["product"], listed["domain"], listed["state"]) == (
        service.pk, "ssl-dv", "mine.test", "pending")
    assert api.get(f"/api/v1/services/{service.pk}").json()["domain"] == "mine.test"


def test_a_domain_not_mine_or_without_a_resolver_is_refused_naming_domain(api, monkeypatch,
                                                                          resolver):
    """A name the resolver does not find, or any name while no resolver is registered: 400
    problem naming "domain" ("You have no domain named …"), and nothing is ordered."""
    body = {"price_id": price("ssl-dv", "annual").pk, "domain": "theirs.test"}
    resp = post(api, body)
    assert resp.status_code == 400 and resp["Content-Type"] == "application/problem+json"
    assert resp.json()["errors"]["domain"] == ["You have no domain named theirs.test."]
    monkeypatch.setattr(attachments, "_resolver", None)
    resp = post(api, {**body, "domain": "mine.test"})
    assert resp.status_code == 400 and "domain" in resp.json()["errors"]
    assert not Order.objects.exists()


def test_a_service_without_a_domain_shows_null(api, subscriber):
    """An order without a domain: its service's domain is null in the API."""
    assert post(api, {"price_id": price().pk}).json()["order"]["domain"] is None
    assert [s["domain"] for s in api.get("/api/v1/services").json()] == [None]


def test_another_subscribers_service_answers_404(api):
    """Someone else's service id, or an id that is not a number, answers 404 problem."""
    theirs = place_order(make_subscriber(), price(), "system").service
    for url in (f"/api/v1/services/{theirs.pk}", "/api/v1/services/no-such-thing",
                "/api/v1/services/99999999999999999999999"):
        resp = api.get(url)
        assert resp.status_code == 404 and resp["Content-Type"] == "application/problem+json"
    assert api.get("/api/v1/services").json() == []


def test_services_need_credentials(client):
    """GET /services and /services/{id} answer 401 without a session or token."""
    assert client.get("/api/v1/services").status_code == 401
    assert client.get("/api/v1/services/1").status_code == 401
