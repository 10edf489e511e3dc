"""The preference centre (/panel/subscriptions/): every list, its state and history, a switch
per leavable list and the separate email-measurement consent (C31; policy 2.3.4, 5.2)."""

import pytest
from django.test import Client
from django.urls import reverse

from hostpact.consent.models import ConsentRecord
from hostpact.marketing.models import SubscriptionChange
from hostpact.marketing.services import (
    NotLeavable,
    is_subscribed,
    measurement_allowed,
    set_measurement,
    set_subscription,
)
from hostpact.testing.factories import make_subscriber

URL = reverse("marketing:preferences")


@pytest.fixture
def user(db):
    return make_subscriber()


@pytest.fixture
def client(user):
    c = Client()
    c.force_login(user)
    return c


def test_the_page_needs_a_login(db):
    """Anonymous visitors are sent to log in."""
    answer = Client().get(URL)
    assert answer.status_code == 302 and reverse("accounts:login") in answer["Location"]


@pytest.mark.commitment("C31")
def test_the_page_lists_every_list_with_its_state_and_why_notices_stay(client):
    """Each list is shown; account notices have no switch and say why."""
    text = client.get(URL).content.decode()
    for title in ("Account notices", "Newsletters", "Promotions", "Partners&#x27; promotions"):
        assert title in text
    assert "Cannot be left" in text and "Leave Promotions" in text
    assert "Leave Account notices" not in text


@pytest.mark.commitment("C31")
def test_leaving_and_joining_in_the_panel_is_recorded_in_the_history(client, user):
    """A leave and a join are changes with method panel, shown in the history."""
    assert client.post(URL, {"list_key": "promotions", "subscribed": "0"}).status_code == 302
    assert not is_subscribed(user.subject_id, "promotions")
    client.post(URL, {"list_key": "promotions", "subscribed": "1"})
    assert is_subscribed(user.subject_id, "promotions")
    changes = SubscriptionChange.objects.filter(subject_id=user.subject_id,
                                                list_key="promotions")
    assert [(c.subscribed, c.method) for c in changes] == [
        (True, "signup"), (False, "panel"), (True, "panel")]
    text = client.get(URL).content.decode()
    assert text.count("in the control panel") == 2 and "at sign-up" in text


@pytest.mark.parametrize("data", [
    {"list_key": "transactional", "subscribed": "0"},
    {"list_key": "no-such-list", "subscribed": "0"},
    {"list_key": "promotions", "subscribed": "maybe"},
    {},
])
def test_bad_switches_answer_400_naming_the_problem_and_change_nothing(client, user, data):
    """Leaving notices, an unknown list or a bad value re-render the page with the error."""
    before = SubscriptionChange.objects.count()
    answer = client.post(URL, data)
    assert answer.status_code == 400 and 'role="alert"' in answer.content.decode()
    assert SubscriptionChange.objects.count() == before


def test_the_service_refuses_to_take_anyone_off_account_notices(user):
    """``set_subscription`` raises for the transactional list."""
    with pytest.raises(NotLeavable):
        set_subscription(user.subject_id, "transactional", False, method="panel", actor="t")


def test_email_measurement_is_off_until_allowed_and_recorded_in_the_consent_ledger(client,
                                                                                   user):
    """No receipt means no measurement; the switch appends receipts to the consent ledger."""
    other = make_subscriber()
    assert measurement_allowed([user.subject_id, other.subject_id]) == set()
    assert "not allowed" in client.get(URL).content.decode()
    client.post(URL, {"allowed": "1"})
    assert measurement_allowed([user.subject_id, other.subject_id]) == {user.subject_id}
    set_measurement(user, False)
    assert measurement_allowed([user.subject_id]) == set()
    receipts = ConsentRecord.objects.filter(subject_id=user.subject_id).order_by("pk")
    assert [(r.granted, r.refused, r.method) for r in receipts] == [
        (["email_measurement"], [], "panel"), ([], ["email_measurement"], "panel")]
