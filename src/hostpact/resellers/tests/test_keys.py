"""Reseller API keys: made with scopes, ranges and expiry, stored as a hash, shown once,
checked on every call and every call logged."""

import datetime

import pytest

from hostpact.accounts.services import issue_api_token
from hostpact.core import clock
from hostpact.resellers.models import ApiKey, ApiKeyUse
from hostpact.resellers.services.keys import KeyRefused, create_key, revoke_key, secret_hash
from hostpact.resellers.services.resellers import suspend_reseller
from hostpact.resellers.tests.api_helpers import KeyClient, key_for
from hostpact.resellers.tests.helpers import make_customer, make_reseller

pytestmark = pytest.mark.django_db
ME = "/api/v1/reseller/keys/me"
CUSTOMERS = "/api/v1/reseller/customers"


def test_only_the_hash_of_the_secret_is_stored():
    """The secret is hpr_<key_id>_<random>; the row keeps only its SHA-256."""
    key, secret = key_for(make_reseller())
    assert secret.startswith(f"hpr_{key.key_id}_") and len(secret) > 40
    row = ApiKey.objects.get(pk=key.pk)
    assert row.secret_hash == secret_hash(secret)
    assert secret not in str(ApiKey.objects.filter(pk=key.pk).values().first())


def test_two_keys_have_different_secrets():
    """Each key's secret is random."""
    reseller = make_reseller()
    assert key_for(reseller)[1] != key_for(reseller)[1]


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"scopes": ["customers:read", "root"]}, "scopes"),
    ({"scopes": []}, "scopes"),
    ({"ip_ranges": ["10.0.0.0/33"]}, "ip_ranges"),
    ({"days": 0}, "days"),
    ({"days": 400}, "days"),
    ({"name": ""}, "name"),
])
def test_bad_key_requests_name_the_field_and_make_nothing(kwargs, field):
    """An unknown scope, a bad CIDR, a bad lifetime or no name is refused, naming it."""
    reseller = make_reseller()
    args = {"name": "sync", "scopes": ["customers:read"], **kwargs}
    with pytest.raises(KeyRefused) as refused:
        create_key(reseller, actor="system", **args)
    assert refused.value.field == field
    assert not ApiKey.objects.filter(reseller=reseller).exists()


def test_unknown_scope_is_named():
    """The refusal says which scope is unknown."""
    with pytest.raises(KeyRefused, match="'root'"):
        create_key(make_reseller(), name="x", scopes=["root"], actor="system")


def test_a_valid_key_is_answered_and_logged():
    """An allowed call answers and leaves a log row with its status."""
    _, secret = key_for(make_reseller(), ["customers:read"])
    resp = KeyClient(secret).get(ME)
    assert resp.status_code == 200
    assert resp.json()["scopes"] == ["customers:read"]
    use = ApiKeyUse.objects.get()
    assert (use.method, use.path, use.status, use.client_ip) == ("GET", ME, 200, "127.0.0.1")


def test_an_unknown_key_is_401_problem():
    """A key nobody has is 401 problem+json with code invalid_key."""
    resp = KeyClient("hpr_nothing_here").get(ME)
    assert resp.status_code == 401
    assert resp["Content-Type"] == "application/problem+json"
    assert resp.json()["code"] == "invalid_key"
    assert not ApiKeyUse.objects.exists()


def _refused(resp, code):
    assert resp.status_code == 403, resp.content
    assert resp["Content-Type"] == "application/problem+json"
    assert resp.json()["code"] == code
    use = ApiKeyUse.objects.latest("pk")
    assert use.status == 403 and use.reason == resp.json()["detail"]


def test_an_expired_key_is_refused_and_logged():
    """After its expiry the key is 403 key_expired, and the refusal is logged."""
    now = clock.now()
    with clock.freeze(now):
        _, secret = key_for(make_reseller(), days=1)
    with clock.freeze(now + datetime.timedelta(days=1, seconds=1)):
        _refused(KeyClient(secret).get(ME), "key_expired")


def test_a_revoked_key_is_refused_and_logged():
    """A revoked key is 403 key_revoked."""
    key, secret = key_for(make_reseller())
    revoke_key(key, actor="system")
    _refused(KeyClient(secret).get(ME), "key_revoked")


def test_a_key_without_the_scope_is_refused_and_logged():
    """Each operation needs its scope: a customers:read key cannot ask for removals."""
    _, secret = key_for(make_reseller(), ["customers:read"])
    _refused(KeyClient(secret).get("/api/v1/reseller/removal-requests"), "scope_missing")


def test_a_key_from_outside_its_ranges_is_refused_and_logged():
    """A key bound to 203.0.113.0/24 is refused from 127.0.0.1, allowed from inside."""
    _, secret = key_for(make_reseller(), ip_ranges=["203.0.113.0/24"])
    _refused(KeyClient(secret).get(ME), "address_refused")
    assert ApiKeyUse.objects.get().client_ip == "127.0.0.1"
    assert KeyClient(secret, REMOTE_ADDR="203.0.113.9").get(ME).status_code == 200


def test_a_reseller_that_may_not_sell_cannot_create_customers():
    """Suspended, its POST /customers is 403 may_not_sell, logged; reads still answer."""
    reseller = make_reseller()
    _, secret = key_for(reseller)
    suspend_reseller(reseller, actor="system")
    resp = KeyClient(secret).post(CUSTOMERS, "{}", content_type="application/json")
    _refused(resp, "may_not_sell")
    assert "suspended" in resp.json()["detail"]
    assert KeyClient(secret).get(CUSTOMERS).status_code == 200


def test_a_subscriber_token_is_not_a_reseller_key():
    """The reseller API refuses a subscriber's bearer token."""
    raw, _ = issue_api_token(make_customer(make_reseller()))
    assert KeyClient(raw).get(ME).status_code == 401


def test_a_reseller_key_is_not_a_subscriber_token():
    """The subscriber API refuses a reseller key."""
    _, secret = key_for(make_reseller())
    assert KeyClient(secret).get("/api/v1/me").status_code == 401


def test_a_refused_call_after_the_handler_is_logged_with_its_reason():
    """A 404 answered to a valid key is in the log, with the problem's detail."""
    _, secret = key_for(make_reseller())
    resp = KeyClient(secret).get(f"{CUSTOMERS}/HP-999999")
    assert resp.status_code == 404
    use = ApiKeyUse.objects.get()
    assert use.status == 404 and "no customer" in use.reason
