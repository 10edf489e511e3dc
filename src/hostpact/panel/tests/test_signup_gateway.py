"""Sign-up hands the card to the gateway only while the disclosures gate lets it."""

import datetime

import pytest

from hostpact.accounts.models import User
from hostpact.billing import gateway as gateway_module
from hostpact.panel.services import SignupRefused, signup
from hostpact.privacy.disclosures.models import Agreement
from hostpact.testing import factories

pytestmark = pytest.mark.django_db


@pytest.mark.commitment("C21")
def test_no_card_leaves_for_a_gateway_without_a_valid_agreement(monkeypatch):
    """With the gateway's agreement expired, sign-up is refused on the card before the card
    is handed over, and nothing about the person is stored."""
    handed = []
    monkeypatch.setattr(gateway_module.TestGateway, "tokenize",
                        lambda self, *a: handed.append(a))
    Agreement.objects.filter(recipient__slug="test-gateway").update(
        valid_until=datetime.date(2020, 1, 1))
    with pytest.raises(SignupRefused) as refused:
        signup(factories.signup_data())
    assert "card_number" in refused.value.errors
    assert handed == [] and not User.objects.exists()
