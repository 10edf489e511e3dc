"""A business applies to become a reseller; staff approve it."""

import pytest

from hostpact.resellers.models import Membership, Reseller
from hostpact.resellers.services.resellers import approve_reseller
from hostpact.testing.factories import make_subscriber

pytestmark = pytest.mark.django_db

FORM = {"name": "Applicant Hosting LLP", "brand_name": "Applicant", "host": "apply.example",
        "country": "DE", "support_email": "help@apply.example",
        "controller_name": "Data protection officer", "controller_email": "dpo@apply.example",
        "controller_address": "1 Hauptstrasse, 10115 Berlin", "agree": "on"}


def test_application_creates_a_pending_reseller_owned_by_the_applicant(client):
    """A signed-in subscriber's application makes a pending reseller with them as owner; its
    host serves our storefront until staff approve it."""
    user = make_subscriber()
    client.force_login(user)
    response = client.post("/resellers/apply/", FORM)
    assert response.status_code == 201
    reseller = Reseller.objects.get(name=FORM["name"])
    assert reseller.state == Reseller.State.PENDING and reseller.country == "DE"
    assert Membership.objects.get(reseller=reseller).user == user
    assert Membership.objects.get(reseller=reseller).role == Membership.Role.OWNER
    approve_reseller(reseller, actor="staff:1")
    reseller.refresh_from_db()
    assert reseller.state == Reseller.State.APPROVED and reseller.approved_by == "staff:1"


@pytest.mark.parametrize("field, value, message", [
    ("host", "not a host", "is not a host name"),
    ("country", "XX", "public-holiday calendar"),
    ("agree", "", "This field is required"),
])
def test_a_bad_application_names_the_field_and_creates_nothing(client, field, value, message):
    """A wrong host name, an unknown country or the agreement not accepted answers 400 with
    the message, and no reseller exists."""
    client.force_login(make_subscriber())
    data = {**FORM, field: value}
    if not value:
        data.pop(field)
    response = client.post("/resellers/apply/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Reseller.objects.exists()


def test_the_application_form_needs_a_login(client):
    """An anonymous visitor is sent to log in first."""
    response = client.get("/resellers/apply/")
    assert response.status_code == 302 and "/login/" in response["Location"]
