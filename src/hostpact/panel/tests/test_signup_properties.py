"""Property tests: generated bad sign-up bodies never cause a 5xx or a partial record."""

import json

import pytest
from django.test import Client, override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from hostpact.accounts.models import Profile, User
from hostpact.billing.models import PaymentMethod
from hostpact.core.models import Subject
from hostpact.testing.properties import broken

VALID = {
    "name": "Meera Sample", "email": "meera@example.test", "phone": "+91 98765 43210",
    "address": {"line1": "7 Ring Road", "line2": "Flat 2", "city": "Pune", "region": "MH",
                "postal_code": "411001", "country": "IN"},
    "date_of_birth": "1988-02-29", "password": "a-long-enough-pass-1",
    "card": {"number": "4242424242424242", "exp_month": 11, "exp_year": 2032, "cvc": "123"},
}


def counts():
    return (User.objects.count(), Profile.objects.count(), Subject.objects.count(),
            PaymentMethod.objects.count())


def check(client, raw: bytes):
    before = counts()
    resp = client.post("/api/v1/signup", raw, content_type="application/json")
    assert resp.status_code < 500, resp.content[:500]
    if resp.status_code == 201:
        assert counts() == tuple(n + 1 for n in before)
    else:
        assert resp.status_code in {400, 403, 409, 413}, resp.status_code
        assert resp["Content-Type"] == "application/problem+json"
        assert counts() == before


@pytest.mark.django_db
@pytest.mark.commitment("C02")
@override_settings(SIGNUP_RATE_PER_HOUR=10**9)
@settings(max_examples=1000)
@given(body=broken(VALID), email_n=st.integers(min_value=0, max_value=10**6))
def test_generated_signup_bodies_never_fail_or_half_write(body, email_n):
    """1,000 broken sign-up bodies: each answers 201 or a 4xx problem; a refusal stores nothing."""
    if isinstance(body.get("email"), str) and body["email"] == VALID["email"]:
        body["email"] = f"meera{email_n}@example.test"
    check(Client(), json.dumps(body).encode())


@pytest.mark.django_db
@override_settings(SIGNUP_RATE_PER_HOUR=10**9)
@settings(max_examples=200)
@given(raw=st.binary(max_size=2000) | st.sampled_from([b"\xff\xfe", b"{", b"[]", b"null"]))
def test_raw_bytes_signup_bodies_are_refused_cleanly(raw):
    """Bodies that are not JSON objects (invalid bytes, truncated JSON) answer 400, not 500."""
    check(Client(), raw)


@pytest.mark.django_db
def test_huge_body_is_refused(client):
    """A body over the upload limit is refused with a 4xx and stores nothing."""
    raw = json.dumps({**VALID, "name": "x" * 400_000}).encode()
    before = counts()
    resp = client.post("/api/v1/signup", raw, content_type="application/json")
    assert 400 <= resp.status_code < 500
    assert counts() == before
