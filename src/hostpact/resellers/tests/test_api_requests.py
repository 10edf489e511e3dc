"""The reseller API's removal requests, orders, domains and key log."""

import pytest

from hostpact.billing.models import Order, Price
from hostpact.resellers.models import RemovalRequest
from hostpact.resellers.services.resellers import suspend_reseller
from hostpact.resellers.tests.api_helpers import KeyClient, client_for, key_for
from hostpact.resellers.tests.helpers import make_customer, make_reseller

pytestmark = pytest.mark.django_db
API = "/api/v1/reseller"


def test_a_removal_request_is_201_with_its_due_date_then_200_for_a_duplicate():
    """POST /removal-requests answers id, due (YYYY-MM-DD) and state; asked again, the first."""
    reseller = make_reseller()
    user = make_customer(reseller)
    client = client_for(reseller, ["removals"])
    first = client.post_json(f"{API}/removal-requests", {"customer": user.customer_id})
    assert first.status_code == 201, first.content
    body = first.json()
    rr = RemovalRequest.objects.get()
    assert (body["id"], body["due"], body["state"]) == (rr.pk, rr.due_on.isoformat(), "open")
    again = client.post_json(f"{API}/removal-requests", {"customer": str(user.pk)})
    assert again.status_code == 200 and again.json()["id"] == rr.pk
    assert client.get(f"{API}/removal-requests/{rr.pk}").json()["due"] == body["due"]
    listing = client.get(f"{API}/removal-requests").json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == rr.pk


def test_a_removal_request_needs_the_customer_field():
    """A body without ``customer`` is 400 naming it."""
    resp = client_for(make_reseller()).post_json(f"{API}/removal-requests", {})
    assert resp.status_code == 400 and "customer" in resp.json()["errors"]


def test_rights_keep_working_while_the_reseller_may_not_sell():
    """Suspended, the reseller can still ask for a removal and record an opt-out."""
    reseller = make_reseller()
    user = make_customer(reseller)
    client = client_for(reseller)
    suspend_reseller(reseller, actor="system")
    assert client.post_json(f"{API}/removal-requests",
                            {"customer": user.customer_id}).status_code == 201
    assert client.post(f"{API}/customers/{user.customer_id}/opt-out").status_code == 201
    assert client.post_json(f"{API}/orders", {"customer": str(user.pk), "price_id": 1}
                            ).json()["code"] == "may_not_sell"


def test_an_order_for_a_customer_is_placed_at_the_resellers_price():
    """POST /orders places the order for the customer, in the reseller's orders list."""
    reseller = make_reseller()
    user = make_customer(reseller)
    price = Price.objects.filter(active=True).first()
    client = client_for(reseller)
    resp = client.post_json(f"{API}/orders", {"customer": user.customer_id,
                                              "price_id": price.pk})
    assert resp.status_code == 201, resp.content
    order = Order.objects.get(pk=resp.json()["order"]["id"])
    assert order.user == user
    listing = client.get(f"{API}/orders").json()
    assert [o["id"] for o in listing["items"]] == [order.pk]
    assert listing["items"][0]["customer"] == user.customer_id


@pytest.mark.parametrize(("body", "field"), [
    ({"price_id": 999_999}, "price_id"),
    ({"price_id": 0}, "price_id"),
    ({"domain": "nothing-of-theirs.test"}, "domain"),
])
def test_bad_orders_are_400_naming_the_field(body, field):
    """An unknown price or a domain the customer does not have is 400 naming the field."""
    reseller = make_reseller()
    user = make_customer(reseller)
    price = Price.objects.filter(active=True).first()
    resp = client_for(reseller).post_json(f"{API}/orders", {"customer": str(user.pk),
                                                            "price_id": price.pk, **body})
    assert resp.status_code == 400 and field in resp.json()["errors"], resp.content
    assert not Order.objects.filter(user=user).exists()


def test_the_domains_of_the_resellers_customers():
    """GET /domains lists its customers' domains; GET /domains/{name} reads one."""
    from hostpact.domains.tests.helpers import register

    reseller = make_reseller()
    domain = register(make_customer(reseller))
    client = client_for(reseller, ["domains"])
    assert [d["name"] for d in client.get(f"{API}/domains").json()["items"]] == [domain.name]
    assert client.get(f"{API}/domains/{domain.name}").json()["name"] == domain.name
    assert client.get(f"{API}/domains/not a name").status_code == 404


def test_the_key_log_pages_the_resellers_calls():
    """GET /keys/log lists the reseller's keys' calls, refused ones too."""
    reseller = make_reseller()
    _, narrow = key_for(reseller, ["domains"])
    KeyClient(narrow).get(f"{API}/customers")
    body = client_for(reseller).get(f"{API}/keys/log", {"per_page": 1}).json()
    assert body["count"] == 1
    assert body["items"][0]["status"] == 403 and body["items"][0]["path"].endswith(
        "/customers")


def test_a_customer_given_as_a_number_is_400_naming_the_field():
    """The body names the customer as text; a JSON number is refused naming ``customer``."""
    reseller = make_reseller()
    user = make_customer(reseller)
    resp = client_for(reseller).post_json(f"{API}/removal-requests", {"customer": user.pk})
    assert resp.status_code == 400 and "customer" in resp.json()["errors"]
