"""Isolation (Deliver 9): reseller A's key and users get 404 for every object of reseller B
and of our own customers, and cannot change B's settings."""

import pytest
from django.test import Client

from hostpact.billing.models import Price
from hostpact.billing.services import place_order
from hostpact.domains.tests.helpers import register
from hostpact.resellers.models import ForwardedRequest, RemovalRequest
from hostpact.resellers.services.forwarding import consent_text, forward_request
from hostpact.resellers.services.keys import log_use
from hostpact.resellers.services.removals import request_removal
from hostpact.resellers.tests.api_helpers import client_for, key_for
from hostpact.resellers.tests.helpers import make_customer, make_member, make_reseller
from hostpact.testing.factories import make_subscriber

pytestmark = [pytest.mark.django_db, pytest.mark.commitment("C38")]
API = "/api/v1/reseller"


@pytest.fixture
def world():
    a, b = make_reseller(name="Alpha"), make_reseller(name="Beta")
    theirs, ours = make_customer(b), make_subscriber()
    price = Price.objects.filter(active=True).first()
    place_order(theirs, price, "system")
    domains = [register(theirs), register(ours)]
    rr, _ = request_removal(b, theirs, actor="system")
    key_b, _ = key_for(b)
    fr = forward_request(b, theirs, kind="access", message="Please send my data.",
                         channel="support", consent_text=consent_text(b), actor="system")
    return {"a": a, "b": b, "customers": [theirs, ours], "domains": domains, "rr": rr,
            "key_b": key_b, "fr": fr}


def test_a_key_sees_nothing_of_another_reseller_or_of_ours(world):
    """Every API route naming an object answers 404 for B's and ours; lists leave them out."""
    client = client_for(world["a"])
    for user in world["customers"]:
        for ref in (user.pk, user.customer_id):
            assert client.get(f"{API}/customers/{ref}").status_code == 404
            assert client.post(f"{API}/customers/{ref}/opt-out").status_code == 404
            assert client.post_json(f"{API}/removal-requests",
                                    {"customer": str(ref)}).status_code == 404
            assert client.post_json(f"{API}/orders", {"customer": str(ref), "price_id": 1}
                                    ).status_code == 404
    for d in world["domains"]:
        assert client.get(f"{API}/domains/{d.name}").status_code == 404
    assert client.get(f"{API}/removal-requests/{world['rr'].pk}").status_code == 404
    for listing in ("customers", "orders", "domains", "removal-requests"):
        assert client.get(f"{API}/{listing}").json()["count"] == 0, listing
    log_use(world["key_b"], method="GET", path="/b-only", status=200)
    log = client.get(f"{API}/keys/log", {"per_page": 100}).json()["items"]
    assert all(row["path"] != "/b-only" for row in log)


def test_a_user_sees_nothing_of_another_reseller_or_of_ours(world):
    """A's owner gets 404 for B's panel and for B's and our customers in A's panel."""
    a, b = world["a"], world["b"]
    client = Client()
    client.force_login(make_member(a))
    for path in ("", "customers/", "keys/", "settings/", "members/", "removals/"):
        assert client.get(f"/reseller/{b.slug}/{path}").status_code == 404
    for user in world["customers"]:
        for tail in ("", "removal/", "opt-out/", "export/"):
            method = client.get if not tail else client.post
            assert method(f"/reseller/{a.slug}/customers/{user.customer_id}/{tail}"
                          ).status_code == 404, tail
    assert client.get(f"/reseller/{a.slug}/removals/{world['rr'].pk}/").status_code == 404
    assert client.post(f"/reseller/{a.slug}/requests/{world['fr'].pk}/answered/"
                       ).status_code == 404
    assert client.post(f"/reseller/{a.slug}/keys/{world['key_b'].key_id}/revoke/"
                       ).status_code == 404
    world["key_b"].refresh_from_db()
    assert world["key_b"].revoked_at is None
    assert ForwardedRequest.objects.get(pk=world["fr"].pk).state == "open"
    assert RemovalRequest.objects.filter(reseller=a).count() == 0


def test_a_user_cannot_change_another_resellers_settings(world):
    """Posting B's settings from A's owner is 404 and changes nothing."""
    b = world["b"]
    client = Client()
    client.force_login(make_member(world["a"]))
    resp = client.post(f"/reseller/{b.slug}/settings/", {
        "brand_name": "Hijacked", "primary_colour": "#000000", "accent_colour": "#000000",
        "support_email": "x@evil.example", "controller_name": "x",
        "controller_email": "x@evil.example", "controller_address": "x", "markup_percent": "0"})
    assert resp.status_code == 404
    b.refresh_from_db()
    assert b.brand_name != "Hijacked"
