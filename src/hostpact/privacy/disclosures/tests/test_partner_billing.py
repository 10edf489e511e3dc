"""A co-marketing partner never holds billing data: not in the back office, not at the gate
(C23)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from hostpact.privacy import disclose
from hostpact.privacy.disclosures.models import Disclosure, DisclosureRefusal, Recipient
from hostpact.privacy.disclosures.services import DisclosureRefused
from hostpact.testing import factories

pytestmark = pytest.mark.django_db
PARTNER = "co-marketing-partner"
PROMOTION = "marketing.communications.email.promotions"


def _form(partner, categories: str) -> dict:
    agreement = partner.agreements.get()
    return {"slug": partner.slug, "name": partner.name, "kind": partner.kind, "role": "",
            "active": "on", "categories_text": categories, "purposes_text": PROMOTION,
            "agreements-TOTAL_FORMS": "1", "agreements-INITIAL_FORMS": "1",
            "agreements-MIN_NUM_FORMS": "0", "agreements-MAX_NUM_FORMS": "1000",
            "agreements-0-id": agreement.pk, "agreements-0-recipient": partner.pk,
            "agreements-0-kind": agreement.kind,
            "agreements-0-reference": agreement.reference,
            "agreements-0-signed_on": "2010-01-01", "agreements-0-valid_from": "2010-01-01",
            "agreements-0-valid_until": "", "agreements-0-confidentiality": "on"}


@pytest.mark.commitment("C23")
@pytest.mark.parametrize("categories", ["user.name\nuser.financial",
                                        "user.contact, user.financial.bank_account",
                                        "user"])
def test_back_office_cannot_give_the_partner_billing_categories(categories):
    """Compliance saving the partner with a financial category, or one covering it, gets the
    form back naming the categories field; the partner's categories are unchanged."""
    client = Client()
    client.force_login(factories.make_staff(groups=["compliance"]))
    partner = Recipient.objects.get(slug=PARTNER)
    resp = client.post(f"/admin/disclosures/recipient/{partner.pk}/change/",
                       _form(partner, categories))
    assert resp.status_code == 200
    assert "categories_text" in resp.context["adminform"].form.errors
    assert "billing" in resp.content.decode()
    partner.refresh_from_db()
    assert partner.allowed_categories == ["user.name", "user.contact"]


@pytest.mark.commitment("C23")
def test_a_partner_with_billing_categories_is_invalid_and_others_are_not():
    """The model refuses a co-marketing recipient holding billing data; a payment processor
    may hold it."""
    partner = Recipient.objects.get(slug=PARTNER)
    partner.allowed_categories = ["user.name", "user.financial"]
    with pytest.raises(ValidationError) as info:
        partner.full_clean()
    assert "allowed_categories" in info.value.message_dict
    gateway = Recipient.objects.get(slug="test-gateway")
    assert "user.financial" in gateway.allowed_categories
    gateway.full_clean()


@pytest.mark.commitment("C23")
@pytest.mark.parametrize("category", ["user.financial", "user.financial.bank_account"])
def test_gate_refuses_billing_data_to_a_partner_given_it_behind_the_forms_back(subscriber,
                                                                               category):
    """A partner row whose categories were widened to billing data outside the back office
    still gets none: the gate refuses and records the refusal, nothing is disclosed."""
    Recipient.objects.filter(slug=PARTNER).update(
        allowed_categories=["user.name", "user.contact", "user.financial"])
    before = Disclosure.objects.count()
    with pytest.raises(DisclosureRefused) as info:
        disclose(PARTNER, [subscriber.subject_id], ["user.contact.email", category], PROMOTION,
                 "", actor="system:test")
    assert info.value.code == "billing"
    assert Disclosure.objects.count() == before
    assert DisclosureRefusal.objects.latest("pk").recipient_slug == PARTNER
    # Its contact data still goes.
    disclose(PARTNER, [subscriber.subject_id], ["user.contact.email"], PROMOTION, "",
             actor="system:test")
