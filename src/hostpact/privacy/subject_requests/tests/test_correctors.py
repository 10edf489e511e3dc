"""A correction through support uses the correctors the apps registered, one form for each."""

import pytest
from django import forms

from hostpact.core import clock
from hostpact.privacy import registry
from hostpact.privacy.subject_requests import services
from hostpact.privacy.subject_requests.models import DataSubjectRequest as DSR
from hostpact.privacy.subject_requests.tests.helpers import verified
from hostpact.privacy.tests.sampleapp.models import LoyaltyCard
from hostpact.testing.factories import make_staff

pytestmark = pytest.mark.django_db
BASE = "/admin/requests/datasubjectrequest"
CARD_STEP = "correct-sampleapp-loyaltycard"


class CardForm(forms.Form):
    printed_name = forms.CharField(max_length=60)
    phone = forms.CharField(max_length=20)


def correct_card(subject_id, changes, actor):
    """The test app's corrector service: refuses a phone that is not one."""
    if not str(changes.get("phone", "+1")).startswith("+"):
        raise registry.CorrectionRefused("Give the number with its country code.", "phone")
    card = LoyaltyCard.objects.get(subject_id=subject_id)
    for name, value in changes.items():
        setattr(card, name, value)
    card.save()
    return sorted(changes)


@pytest.fixture
def staff(db):
    return make_staff(groups=["support"])


@pytest.fixture
def card(subscriber, monkeypatch):
    monkeypatch.setitem(registry._correctors, "sampleapp.loyaltycard", [
        registry.Corrector(LoyaltyCard, form=CardForm, service=correct_card)])
    return LoyaltyCard.objects.create(subject=subscriber.subject, printed_name="Asha Card",
                                      phone="+919812345670", created_at=clock.now())


def test_each_corrector_has_its_own_form_and_only_its_changes_are_sent(client, staff,
                                                                        subscriber, card):
    """With two staff correctors the page shows one form per corrector, prefixed by its model,
    filled from the subject's row; applying one changes only that model's fields."""
    dsr = verified(staff, subscriber)
    client.force_login(staff)
    page = client.get(f"{BASE}/{dsr.pk}/process/").content.decode()
    assert 'name="correct-accounts-profile-city"' in page
    assert f'name="{CARD_STEP}-phone"' in page and "+919812345670" in page
    assert "Apply correction: Loyalty card" in page
    response = client.post(f"{BASE}/{dsr.pk}/process/", {
        "action": CARD_STEP, f"{CARD_STEP}-printed_name": "Asha Card",
        f"{CARD_STEP}-phone": "+919800000000"})
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.phone == "+919800000000" and card.printed_name == "Asha Card"
    dsr.refresh_from_db()
    assert dsr.corrected_fields == ["phone"] and subscriber.profile.city == "Pune"


def test_a_refused_correction_names_the_field_and_changes_nothing(client, staff, subscriber,
                                                                  card):
    """The corrector's ``CorrectionRefused`` becomes the request's error on the same field."""
    dsr = verified(staff, subscriber)
    client.force_login(staff)
    response = client.post(f"{BASE}/{dsr.pk}/process/", {
        "action": CARD_STEP, f"{CARD_STEP}-printed_name": "Asha Card",
        f"{CARD_STEP}-phone": "98000"})
    assert response.status_code == 200
    assert "Give the number with its country code." in response.content.decode()
    card.refresh_from_db()
    assert card.phone == "+919812345670"
    [corrector] = [c for c in registry.staff_correctors() if c.model is LoyaltyCard]
    with pytest.raises(services.RequestError) as refused:
        services.apply_correction(dsr, staff, {"phone": "98000"}, corrector)
    assert refused.value.errors == {"phone": ["Give the number with its country code."]}
    assert DSR.objects.get(pk=dsr.pk).corrected_fields == []
