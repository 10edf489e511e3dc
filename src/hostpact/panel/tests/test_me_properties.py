"""Property tests: generated PATCH /api/v1/me bodies never cause a 5xx or a partial write."""

import json

import pytest
from django.test import Client
from hypothesis import given, settings

from hostpact.accounts.models import User
from hostpact.accounts.services import issue_api_token
from hostpact.core.models import AuditEntry
from hostpact.testing.factories import make_subscriber
from hostpact.testing.properties import broken

VALID = {
    "name": "Leela Patch", "phone": "+91 90000 54321", "date_of_birth": "1987-09-12",
    "address": {"line1": "5 Fort Road", "line2": "", "city": "Mumbai", "region": "MH",
                "postal_code": "400001", "country": "IN"},
}


def snapshot(user_pk):
    user = User.objects.select_related("profile").get(pk=user_pk)
    p = user.profile
    return (user.email, user.pending_email, p.name, p.phone, p.line1, p.line2,
            p.city, p.region, p.postal_code, p.country, p.date_of_birth,
            user.payment_methods.count())


@pytest.fixture
def token_client(db):
    user = make_subscriber()
    raw, _ = issue_api_token(user)
    return user, Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.mark.django_db
@pytest.mark.commitment("C33")
@settings(max_examples=1000)
@given(body=broken(VALID))
def test_generated_patch_bodies_never_fail_or_half_write(token_client, body):
    """1,000 broken PATCH bodies: each answers 200 or a 4xx problem; a refusal changes nothing
    and writes no audit event, a success changes what it was given."""
    user, client = token_client
    before, events = snapshot(user.pk), AuditEntry.objects.count()
    resp = client.patch("/api/v1/me", json.dumps(body), content_type="application/json")
    assert resp.status_code < 500, resp.content[:500]
    if resp.status_code == 200:
        return
    assert 400 <= resp.status_code < 500 and resp.status_code != 404
    assert resp["Content-Type"] == "application/problem+json"
    assert snapshot(user.pk) == before
    assert AuditEntry.objects.count() == events
