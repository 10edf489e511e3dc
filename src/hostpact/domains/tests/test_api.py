"""The domains API: availability, registration and the caller's domain (CONTRACT.md)."""

import pytest
from django.test import Client

from hostpact.accounts.services import issue_api_token
from hostpact.domains.models import Domain
from hostpact.domains.tests.helpers import register

pytestmark = pytest.mark.django_db

CONTACT = {"name": "Asha Example", "organization": "Example Works",
           "email": "asha@example.test", "phone": "+91 98765 43210",
           "address": {"line1": "12 Hill Road", "city": "Pune", "region": "Maharashtra",
                       "postal_code": "411001", "country": "IN"}}


def body(name="api-shop.test", **overrides):
    data = {"name": name, "years": 2, "nameservers": ["ns1.hosting.example",
                                                      "ns2.hosting.example"],
            "contacts": {"registrant": CONTACT, "admin": CONTACT, "tech": CONTACT,
                         "billing": CONTACT}, "privacy": False}
    data.update(overrides)
    return data


@pytest.fixture
def api(subscriber):
    raw, _ = issue_api_token(subscriber)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_availability_is_public_and_checks_every_tld_for_a_bare_label(client, subscriber):
    """Availability is public and checks every TLD for a bare label."""
    register(subscriber, "taken.test")
    resp = client.get("/api/v1/domains/check", {"name": "taken"})
    assert resp.status_code == 200
    assert {r["name"]: r["available"] for r in resp.json()["results"]} == {
        "taken.test": False, "taken.example": True}
    idn = client.get("/api/v1/domains/check", {"name": "bücher.test"}).json()["results"][0]
    assert (idn["name"], idn["unicode"], idn["available"]) == (
        "xn--bcher-kva.test", "bücher.test", True)


@pytest.mark.parametrize("name,rule", [("a" * 64 + ".test", "label_length"),
                                       ("-shop.test", "hyphen"), ("shop.com", "tld"),
                                       ("xn--zz.test", "reserved_hyphens")])
def test_a_bad_name_answers_400_naming_the_rule(client, name, rule):
    """A bad name answers 400 naming the rule."""
    resp = client.get("/api/v1/domains/check", {"name": name})
    assert resp.status_code == 400
    assert resp["Content-Type"].startswith("application/problem+json")
    assert resp.json()["code"] == rule and resp.json()["errors"]["name"]


def test_registering_answers_201_with_the_domain(api):
    """Registering answers 201 with the domain."""
    resp = api.post("/api/v1/domains", body(), content_type="application/json")
    assert resp.status_code == 201, resp.content
    out = resp.json()
    assert out["name"] == "api-shop.test" and out["roid"].endswith("_DOMAIN-HP")
    assert out["statuses"] == ["clientTransferProhibited"]
    assert set(out["contacts"]) == {"registrant", "admin", "tech", "billing"}
    assert out["contacts"]["tech"]["handle"].startswith("C")
    assert out["contacts"]["tech"]["published"] is False
    assert [n["host"] for n in out["nameservers"]] == ["ns1.hosting.example",
                                                        "ns2.hosting.example"]


def test_a_handle_is_accepted_in_place_of_a_contact(api):
    """A handle is accepted in place of a contact."""
    first = api.post("/api/v1/domains", body(), content_type="application/json").json()
    handle = first["contacts"]["registrant"]["handle"]
    resp = api.post("/api/v1/domains", body("second.test", contacts={
        "registrant": handle, "admin": {"handle": handle}, "tech": handle, "billing": handle}),
        content_type="application/json")
    assert resp.status_code == 201, resp.content
    assert {c["handle"] for c in resp.json()["contacts"].values()} == {handle}


@pytest.mark.parametrize("change,field,status", [
    ({"name": "-bad.test"}, "name", 400),
    ({"years": 11}, "years", 400),
    ({"nameservers": ["ns1.hosting.example"]}, "nameservers", 400),
    ({"contacts": {"registrant": "C999999-HP", "admin": CONTACT, "tech": CONTACT,
                   "billing": CONTACT}}, "contacts.registrant", 400),
    ({"contacts": {"registrant": {"name": "Only a name"}, "admin": CONTACT,
                   "tech": CONTACT, "billing": CONTACT}}, "contacts.registrant.email", 400),
])
def test_a_bad_registration_answers_400_naming_the_field(api, change, field, status):
    """A bad registration answers 400 naming the field."""
    resp = api.post("/api/v1/domains", body(**change), content_type="application/json")
    assert resp.status_code == status, resp.content
    assert field in resp.json()["errors"], resp.json()
    assert not Domain.objects.exists()


def test_a_taken_name_answers_409(api, other_subscriber):
    """A taken name answers 409."""
    register(other_subscriber, "api-shop.test")
    resp = api.post("/api/v1/domains", body(), content_type="application/json")
    assert resp.status_code == 409 and resp.json()["code"] == "taken"


def test_the_caller_sees_their_domain_by_either_label(api, subscriber):
    """The caller sees their domain by either label."""
    register(subscriber, "bücher.test")
    for name in ("xn--bcher-kva.test", "bücher.test"):
        resp = api.get(f"/api/v1/domains/{name}")
        assert resp.status_code == 200
        assert resp.json()["unicode"] == "bücher.test"


def test_another_subscribers_domain_answers_404(api, other_subscriber):
    """Another subscriber's domain answers 404."""
    register(other_subscriber, "theirs.test")
    resp = api.get("/api/v1/domains/theirs.test")
    assert resp.status_code == 404
    assert api.get("/api/v1/domains/no-such.test").status_code == 404


@pytest.mark.commitment("C22")
def test_the_subscriber_sees_the_registry_under_who_received_my_data(api):
    """The subscriber sees the registry under "Who received my data"."""
    api.post("/api/v1/domains", body(), content_type="application/json")
    items = api.get("/api/v1/me/disclosures").json()
    items = items.get("items", items) if isinstance(items, dict) else items
    registry = [d for d in items if "Registry" in d["recipient"]]
    assert registry and "user.contact.email" in registry[0]["categories"]
