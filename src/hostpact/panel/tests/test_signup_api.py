"""Sign-up through the API."""

import pytest

from hostpact.accounts.models import Profile, User
from hostpact.core import ratelimit
from hostpact.core.models import Subject


def body(**over):
    data = {
        "name": "Ravi Example", "email": "ravi@example.test", "phone": "+91 98765 43210",
        "address": {"line1": "12 Hill Road", "city": "Pune", "postal_code": "411001",
                    "country": "IN"},
        "date_of_birth": "1985-04-02", "password": "a-long-enough-pass-1",
        "card": {"number": "4242 4242 4242 4242", "exp_month": 12, "exp_year": 2031,
                 "cvc": "123"},
    }
    data.update(over)
    return data


@pytest.mark.django_db
@pytest.mark.commitment("C02")
def test_signup_keeps_only_card_token_and_summary(client):
    """A sign-up stores the gateway token, brand, last 4 and expiry, never the number."""
    resp = client.post("/api/v1/signup", body(), content_type="application/json")
    assert resp.status_code == 201, resp.content
    user = User.objects.get(pk=resp.json()["id"])
    assert resp.json()["customer_id"] == user.customer_id
    card = user.payment_methods.get()
    assert (card.brand, card.last4, card.exp_month, card.exp_year) == ("visa", "4242", "12", "2031")
    assert card.token.startswith("tok_test_") and "4242424242424242" not in card.token
    assert user.profile.phone == "+919876543210"


@pytest.mark.django_db
@pytest.mark.commitment("C34")
def test_under_13_is_refused_and_nothing_stored(client):
    """A child's sign-up answers 403 under_13, stores no row about them, only a count."""
    resp = client.post("/api/v1/signup", body(date_of_birth="2020-01-01"),
                       content_type="application/json")
    assert resp.status_code == 403
    assert resp["Content-Type"] == "application/problem+json"
    assert resp.json()["code"] == "under_13"
    assert not User.objects.exists() and not Profile.objects.exists()
    assert not Subject.objects.exists()
    assert ratelimit.value("signup.refused_under_13") == 1


@pytest.mark.django_db
def test_duplicate_email_answers_409(client):
    """A second sign-up with a registered email answers 409 email_taken."""
    assert client.post("/api/v1/signup", body(), content_type="application/json").status_code == 201
    resp = client.post("/api/v1/signup", body(), content_type="application/json")
    assert resp.status_code == 409 and resp.json()["code"] == "email_taken"


@pytest.mark.django_db
def test_bad_fields_are_named_and_nothing_stored(client):
    """A bad postal code and a bad phone answer 400 naming both fields; nothing is stored."""
    resp = client.post("/api/v1/signup",
                       body(phone="12", address={"line1": "x", "city": "Pune",
                                                 "postal_code": "ABC", "country": "IN"}),
                       content_type="application/json")
    assert resp.status_code == 400
    assert {"phone", "address.postal_code"} <= set(resp.json()["errors"])
    assert not User.objects.exists()


@pytest.mark.django_db
def test_declined_card_is_refused_without_echoing_it(client):
    """A declined card answers 400 on card.number and the number appears nowhere in the answer."""
    resp = client.post("/api/v1/signup",
                       body(card={"number": "4000000000000002", "exp_month": 1,
                                  "exp_year": 2031, "cvc": "123"}),
                       content_type="application/json")
    assert resp.status_code == 400 and "card.number" in resp.json()["errors"]
    assert b"4000000000000002" not in resp.content
    assert not User.objects.exists()
