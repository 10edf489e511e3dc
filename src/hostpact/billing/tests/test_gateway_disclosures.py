"""The payment gateway is a recipient like any other: the gate decides, every card records."""


import pytest

from hostpact.billing.models import Price
from hostpact.billing.services import pay_invoice, place_order
from hostpact.privacy.disclosures.models import Disclosure
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
