"""The payment gateway is a recipient like any other: the gate decides, every card records."""

import datetime

import pytest

from hostpact.accounts.models import User
from hostpact.billing import gateway as gateway_module
from hostpact.billing.models import Price
from hostpact.billing.services import pay_invoice, place_order
from hostpact.privacy.disclosures.models import Agreement, Disclosure
from hostpact.testing import factories

pytestmark = pytest.mark.django_db


@pytest.mark.commitment("C22")
def test_card_and_charge_are_recorded_as_disclosures_to_the_gateway():
    """Sign-up records the card's disclosure to the gateway; a payment records the token's,
    each for the payment purpose only."""
    user = factories.make_subscriber()
    invoice = place_order(user, Price.objects.filter(active=True).first(), "system").invoice
    pay_invoice(invoice, "system")
    rows = Disclosure.objects.filter(recipient__slug="test-gateway").order_by("pk")
    assert [(d.categories, d.purpose) for d in rows] == [
        (["user.financial.credit_card"], "essential.service.payment_processing"),
        (["user.financial.credit_card.token"], "essential.service.payment_processing"),
    ]
    assert rows[1].reference == f"invoice:{invoice.number}"


@pytest.mark.commitment("C21")
def test_no_card_leaves_for_a_gateway_without_a_valid_agreement(monkeypatch):
    """With the gateway's agreement expired, sign-up is refused on the card before the card
    is handed over, and nothing about the person is stored."""
    handed = []
    monkeypatch.setattr(gateway_module.TestGateway, "tokenize",
                        lambda self, *a: handed.append(a))
    Agreement.objects.filter(recipient__slug="test-gateway").update(
        valid_until=datetime.date(2020, 1, 1))
    from hostpact.accounts.services import SignupRefused, signup

    with pytest.raises(SignupRefused) as refused:
        signup(factories.signup_data())
    assert "card_number" in refused.value.errors
    assert handed == [] and not User.objects.exists()
