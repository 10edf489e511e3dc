"""The reseller API's customers: list, search, sign-up in the reseller's realm, read,
opt-out; every answer problem+json when refused, every read of personal data disclosed."""

import pytest

from hostpact.accounts.models import User
from hostpact.privacy.disclosures.models import Disclosure
from hostpact.privacy.disclosures.services import for_subject
from hostpact.resellers.models import OptOut
from hostpact.resellers.tests.api_helpers import KeyClient, client_for, customer_body, key_for
from hostpact.resellers.tests.helpers import make_customer, make_reseller
from hostpact.testing.factories import make_subscriber

pytestmark = pytest.mark.django_db
CUSTOMERS = "/api/v1/reseller/customers"


@pytest.mark.commitment("C38")
def test_a_customer_created_through_the_api_lives_in_the_resellers_realm():
    """POST /customers signs the customer up in the reseller's realm, seen only by it."""
    reseller, other = make_reseller(), make_reseller()
    resp = client_for(reseller).post_json(CUSTOMERS, customer_body())
    assert resp.status_code == 201, resp.content
    user = User.objects.get(pk=resp.json()["id"])
    assert user.realm_id == reseller.realm_id
    assert user.subject.realm_id == reseller.realm_id
    assert client_for(other).get(f"{CUSTOMERS}/{user.customer_id}").status_code == 404


def test_the_same_email_in_another_realm_is_not_taken():
    """Email uniqueness is per realm: ours and another reseller's do not collide."""
    make_subscriber(email="ravi@example.test")
    make_customer(make_reseller(), email="ravi@example.test")
    assert client_for(make_reseller()).post_json(CUSTOMERS, customer_body()).status_code == 201


def test_an_email_taken_in_the_realm_is_409():
    """A second customer with the same email in the same realm is 409 email_taken."""
    reseller = make_reseller()
    make_customer(reseller, email="ravi@example.test")
    resp = client_for(reseller).post_json(CUSTOMERS, customer_body())
    assert resp.status_code == 409
    assert resp.json()["code"] == "email_taken"


def test_under_13_is_refused_and_nothing_stored():
    """A birth date under 13 is 403 under_13; no account is made."""
    reseller = make_reseller()
    before = User.objects.count()
    resp = client_for(reseller).post_json(CUSTOMERS, customer_body(date_of_birth="2020-01-01"))
    assert resp.status_code == 403 and resp.json()["code"] == "under_13"
    assert User.objects.count() == before


@pytest.mark.parametrize(("body", "field"), [
    (customer_body(email="not-an-email"), "email"),
    (customer_body(address={"line1": "1 Road", "city": "Pune", "postal_code": "x",
                            "country": "IN"}), "address.postal_code"),
    (customer_body(password="short"), "password"),
    ({**customer_body(), "card": {"number": "4242"}}, "card"),
    ({k: v for k, v in customer_body().items() if k != "name"}, "name"),
])
def test_bad_customer_bodies_are_400_naming_the_field(body, field):
    """A bad field is 400 problem+json whose errors name it; nothing is created."""
    reseller = make_reseller()
    resp = client_for(reseller).post_json(CUSTOMERS, body)
    assert resp.status_code == 400
    assert resp["Content-Type"] == "application/problem+json"
    assert field in resp.json()["errors"], resp.json()
    assert not User.objects.filter(realm_id=reseller.realm_id).exists()


def test_the_list_is_paged_and_counts_all():
    """``per_page`` and ``page`` page the list; ``count`` and ``pages`` cover all."""
    reseller = make_reseller()
    made = [make_customer(reseller) for _ in range(3)]
    body = client_for(reseller).get(CUSTOMERS, {"per_page": 2, "page": 2}).json()
    assert (body["count"], body["page"], body["pages"]) == (3, 2, 2)
    assert [i["id"] for i in body["items"]] == [made[2].pk]
    assert body["items"][0]["name"] == made[2].profile.name


def test_per_page_over_100_is_400():
    """``per_page`` is at most 100."""
    resp = client_for(make_reseller()).get(CUSTOMERS, {"per_page": 101})
    assert resp.status_code == 400 and "per_page" in resp.json()["errors"]


def test_search_by_email_or_customer_id():
    """``q`` finds a customer by exact email (blind index) or by customer id."""
    reseller = make_reseller()
    a, b = make_customer(reseller, email="find.me@example.test"), make_customer(reseller)
    client = client_for(reseller)
    assert [i["id"] for i in client.get(CUSTOMERS, {"q": "Find.Me@example.test"})
            .json()["items"]] == [a.pk]
    assert [i["id"] for i in client.get(CUSTOMERS, {"q": b.customer_id}).json()["items"]] == [
        b.pk]


def test_the_list_shows_only_the_resellers_customers():
    """Our own customers and another reseller's are not in the list."""
    reseller = make_reseller()
    mine = make_customer(reseller)
    make_subscriber()
    make_customer(make_reseller())
    assert [i["id"] for i in client_for(reseller).get(CUSTOMERS).json()["items"]] == [mine.pk]


def test_a_customers_page_is_one_disclosure_naming_the_key():
    """One disclosure per call for every subject of the page; "who received my data" names
    the key by id and name."""
    reseller = make_reseller()
    a, b = make_customer(reseller), make_customer(reseller)
    key, secret = key_for(reseller, name="Billing sync")
    before = Disclosure.objects.count()
    KeyClient(secret).get(CUSTOMERS)
    assert Disclosure.objects.count() == before + 1
    d = Disclosure.objects.latest("pk")
    assert d.actor == f"reseller-key:{key.key_id}" and d.subject_count == 2
    for user in (a, b):
        row = for_subject(user.subject_id)[0]
        assert row["recipient"] == reseller.name
        assert row["by"] == f"API key {key.key_id} (Billing sync)"


def test_who_received_my_data_page_names_the_key(client):
    """The subscriber's page shows the key through which the reseller saw the data."""
    reseller = make_reseller()
    user = make_customer(reseller)
    key, secret = key_for(reseller, name="CRM")
    KeyClient(secret).get(f"{CUSTOMERS}/{user.customer_id}")
    client.force_login(user)
    host = reseller.hosts.get().host
    resp = client.get("/panel/disclosures/", HTTP_HOST=host)
    assert resp.status_code == 200
    assert f"API key {key.key_id} (CRM)" in resp.content.decode()


def test_a_customers_detail_has_services_and_domains():
    """GET /customers/{id} answers contact, address, services and domains."""
    from hostpact.domains.tests.helpers import register

    reseller = make_reseller()
    user = make_customer(reseller)
    domain = register(user)
    body = client_for(reseller).get(f"{CUSTOMERS}/{user.pk}").json()
    assert body["customer_id"] == user.customer_id
    assert body["address"]["city"] == "Pune"
    assert body["domains"] == [domain.name]


def test_opt_out_is_recorded_once():
    """POST /customers/{id}/opt-out is 201, then 200 with the first record."""
    reseller = make_reseller()
    user = make_customer(reseller)
    client = client_for(reseller, ["opt-outs"])
    first = client.post(f"{CUSTOMERS}/{user.customer_id}/opt-out")
    assert first.status_code == 201 and first.json()["channel"] == "api"
    again = client.post(f"{CUSTOMERS}/{user.customer_id}/opt-out")
    assert again.status_code == 200
    assert again.json()["recorded_at"] == first.json()["recorded_at"]
    assert OptOut.objects.filter(reseller=reseller).count() == 1
