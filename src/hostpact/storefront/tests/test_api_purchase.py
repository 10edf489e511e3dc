"""``POST /api/v1/domains`` buys the domain: the registration is charged to the card on file,
and a refused charge leaves nothing registered."""

import pytest
from django.test import Client

from hostpact.accounts.services import issue_api_token
from hostpact.billing.models import Invoice, Payment, TldPrice
from hostpact.domains.models import Domain
from hostpact.domains.registry.models import RegistryDomain
from hostpact.domains.tests.test_api import body
from hostpact.testing import factories

pytestmark = pytest.mark.django_db
DECLINES_LATER = "4000000000000341"  # accepted at sign-up, every charge declined


def _api(user) -> Client:
    raw, _ = issue_api_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_registration_by_the_api_is_invoiced_at_the_tld_price_and_paid(subscriber):
    """Two years of .test: one paid invoice whose line is the registration at 2 × the TLD's
    price plus GST, charged once."""
    resp = _api(subscriber).post("/api/v1/domains", body("bought.test", years=2),
                                 content_type="application/json")
    assert resp.status_code == 201, resp.content
    [invoice] = Invoice.objects.filter(user=subscriber)
    [line] = invoice.lines.all()
    assert invoice.status == Invoice.Status.PAID and Payment.objects.count() == 1
    assert line.quantity == 2 and line.unit_amount == TldPrice.objects.get(tld="test").register
    assert "bought.test" in line.description and invoice.total > line.amount


def test_a_declined_card_answers_402_and_registers_nothing(db):
    """The charge is refused: 402 with the code, no domain at the registrar or the registry,
    no contact created, the invoice gone with the rest."""
    user = factories.make_subscriber(card_number=DECLINES_LATER)
    resp = _api(user).post("/api/v1/domains", body("unpaid.test"),
                           content_type="application/json")
    assert resp.status_code == 402 and resp["Content-Type"].startswith(
        "application/problem+json")
    assert resp.json()["code"] == "card_declined"
    assert not Domain.objects.exists() and not RegistryDomain.objects.exists()
    assert not user.domain_contacts.exists() and not Invoice.objects.filter(user=user)


def test_a_tld_not_on_sale_is_refused_before_any_charge(subscriber):
    """A served TLD without a price is refused naming the name; nothing is kept."""
    TldPrice.objects.filter(tld="example").update(active=False)
    resp = _api(subscriber).post("/api/v1/domains", body("unpriced.example"),
                                 content_type="application/json")
    assert resp.status_code == 400 and resp.json()["code"] == "not_on_sale"
    assert resp.json()["errors"]["name"]
    assert not Domain.objects.exists() and not Payment.objects.exists()
