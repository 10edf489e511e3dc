"""GET and PATCH /api/v1/me: the subscriber's own information and its correction."""

import datetime

import pytest

from hostpact.accounts.models import User
from hostpact.accounts.tests.helpers import PASSWORD, last_mail, link_in, web_login
from hostpact.core import clock
from hostpact.core.models import AuditEntry


def patch(client, body, **extra):
    return client.patch("/api/v1/me", body, content_type="application/json", **extra)


@pytest.mark.django_db
def test_me_answers_401_problem_without_credentials(client):
    """No session and no token: 401 as problem+json."""
    resp = client.get("/api/v1/me")
    assert resp.status_code == 401 and resp["Content-Type"] == "application/problem+json"
    assert patch(client, {"name": "X"}).status_code == 401


@pytest.mark.django_db
@pytest.mark.commitment("C32")
def test_me_shows_own_information_with_card_summary_only(client, subscriber):
    """GET /me gives name, email, phone, address, date of birth, customer ID and the card as
    brand, last 4 and expiry only."""
    web_login(client, subscriber)
    body = client.get("/api/v1/me").json()
    profile = subscriber.profile
    assert body["name"] == profile.name and body["email"] == subscriber.email
    assert body["phone"] == profile.phone and body["date_of_birth"] == "1990-01-01"
    assert body["address"]["line1"] == profile.line1
    assert body["address"]["country"] == "IN"
    assert body["customer_id"] == subscriber.customer_id
    assert body["card"] == {"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2031}
    assert "tok_" not in str(body)


@pytest.mark.django_db
@pytest.mark.commitment("C32")
@pytest.mark.commitment("C33")
def test_patch_me_corrects_name_phone_address_and_card(client, subscriber):
    """PATCH /me corrects the name, phone, part of the address and the card; the rest stays."""
    web_login(client, subscriber)
    resp = patch(client, {"name": "Asha Patched", "phone": "+91 90000 12345",
                          "address": {"line1": "77 Ridge Road", "postal_code": "560001",
                                      "city": "Bengaluru"},
                          "card": {"number": "5555555555554444", "exp_month": 6,
                                   "exp_year": 2033, "cvc": "555"}})
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["name"] == "Asha Patched" and body["phone"] == "+919000012345"
    assert body["address"]["line1"] == "77 Ridge Road"
    assert body["address"]["region"] == "Maharashtra"  # untouched
    assert body["card"]["last4"] == "4444"
    assert "5555555555554444" not in resp.content.decode()
    entry = AuditEntry.objects.filter(action="accounts.profile.update").get()
    assert set(entry.fields) == {"name", "phone", "line1", "postal_code", "city"}


@pytest.mark.django_db
def test_patch_me_with_bearer_token(client, subscriber):
    """The bearer token authenticates PATCH as well as the session does."""
    from hostpact.accounts.services import issue_api_token

    raw, _ = issue_api_token(subscriber)
    resp = patch(client, {"name": "Token Name"}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert resp.status_code == 200 and resp.json()["name"] == "Token Name"


@pytest.mark.django_db
def test_patch_me_bad_fields_change_nothing(client, subscriber):
    """A good name with a bad phone and a refused card answers 400 naming the fields, and the
    name is not written either."""
    web_login(client, subscriber)
    resp = patch(client, {"name": "Half Written", "phone": "12",
                          "card": {"number": "4242424242424241", "exp_month": 1,
                                   "exp_year": 2031, "cvc": "123"}})
    assert resp.status_code == 400 and resp["Content-Type"] == "application/problem+json"
    assert {"phone", "card.number"} <= set(resp.json()["errors"])
    assert User.objects.get(pk=subscriber.pk).profile.name != "Half Written"
    assert subscriber.payment_methods.count() == 1
    resp = patch(client, {"unknown": 1})
    assert resp.status_code == 400 and "unknown" in resp.json()["errors"]
    resp = patch(client, {"name": None})
    assert resp.status_code == 400 and "name" in resp.json()["errors"]


@pytest.mark.django_db
def test_patch_me_declined_card_changes_nothing(client, subscriber):
    """A card the gateway declines answers 400 on card.number; the profile change is dropped."""
    web_login(client, subscriber)
    resp = patch(client, {"name": "Not Kept", "card": {"number": "4000000000000002",
                                                       "exp_month": 1, "exp_year": 2031,
                                                       "cvc": "123"}})
    assert resp.status_code == 400 and "card.number" in resp.json()["errors"]
    assert User.objects.get(pk=subscriber.pk).profile.name != "Not Kept"


@pytest.mark.django_db
@pytest.mark.commitment("C34")
def test_patch_me_refuses_birth_date_under_13(client, subscriber):
    """A date of birth making the subscriber under 13 is refused with code under_13."""
    web_login(client, subscriber)
    child = (clock.today() - datetime.timedelta(days=365 * 9)).isoformat()
    resp = patch(client, {"date_of_birth": child})
    assert resp.status_code == 400 and resp.json()["code"] == "under_13"
    assert "date_of_birth" in resp.json()["errors"]
    assert User.objects.get(pk=subscriber.pk).profile.date_of_birth == datetime.date(1990, 1, 1)


@pytest.mark.django_db
@pytest.mark.commitment("C33")
def test_patch_me_email_starts_reverification(client, subscriber, other_subscriber):
    """A new email answers with the pending state; the login email changes once the mailed
    link is opened. An address in use answers 409 email_taken."""
    web_login(client, subscriber)
    resp = patch(client, {"email": "patched@example.test"})
    assert resp.status_code == 200
    assert resp.json()["email"] == subscriber.email
    assert resp.json()["pending_email"] == "patched@example.test"
    client.get(link_in(last_mail(subscriber, to="patched@example.test"), "/verify-email/"))
    assert client.get("/api/v1/me").json()["email"] == "patched@example.test"
    resp = patch(client, {"email": other_subscriber.email})
    assert resp.status_code == 409 and resp.json()["code"] == "email_taken"


@pytest.mark.django_db
def test_patch_me_password_needs_the_current_one(client, subscriber):
    """A new password without the right current password is refused; with it, it is set."""
    web_login(client, subscriber)
    resp = patch(client, {"password": "another-long-pass-7"})
    assert resp.status_code == 400 and "current_password" in resp.json()["errors"]
    resp = patch(client, {"password": "another-long-pass-7", "current_password": PASSWORD})
    assert resp.status_code == 200
    assert User.objects.get(pk=subscriber.pk).check_password("another-long-pass-7")
    assert client.get("/api/v1/me").status_code == 200  # this session stays signed in
