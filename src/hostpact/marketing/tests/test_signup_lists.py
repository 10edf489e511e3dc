"""Sign-up puts a new subscriber on every list, as the policy says (5.2, C31), per country."""

import json

import pytest
from django.test import Client

from hostpact.marketing import lists
from hostpact.marketing.models import Subscription, SubscriptionChange
from hostpact.marketing.services import subscriptions_of
from hostpact.testing.factories import TEST_CARD, make_subscriber, signup_data

# Every list a subscriber may leave, this app's and those other apps register (surveys).
MARKETING = {m.key for m in lists.marketing_lists()}


def states(user) -> dict[str, bool]:
    return {s["key"]: s["subscribed"] for s in subscriptions_of(user.subject_id)}


@pytest.mark.commitment("C31")
def test_a_new_subscriber_from_india_is_on_every_list(db):
    """Outside the opt-in countries a new subscriber receives notices, newsletters and both
    kinds of promotions, each start recorded with method, policy version and time."""
    user = make_subscriber(country="IN")
    assert states(user) == {"transactional": True} | dict.fromkeys(MARKETING, True)
    assert {"newsletters", "promotions", "partner-promotions"} <= MARKETING
    changes = SubscriptionChange.objects.filter(subject_id=user.subject_id)
    assert {c.list_key for c in changes} == MARKETING | {"transactional"}
    assert {c.method for c in changes} == {"signup"}
    assert all(c.subscribed and c.at for c in changes)


@pytest.mark.commitment("C31")
def test_a_new_subscriber_from_an_opt_in_country_starts_off_the_marketing_lists(db):
    """In the EEA and the UK the marketing lists start unsubscribed; notices still come."""
    user = make_subscriber(country="FR")
    assert states(user) == {"transactional": True} | dict.fromkeys(MARKETING, False)


@pytest.mark.commitment("C31")
def test_the_box_declines_or_asks_depending_on_the_country(db):
    """``marketing`` False declines in India; True subscribes in Germany."""
    declined = make_subscriber(country="IN", marketing=False)
    asked = make_subscriber(country="DE", marketing=True)
    assert not any(states(declined)[k] for k in MARKETING)
    assert states(declined)["transactional"]
    assert all(states(asked)[k] for k in MARKETING)


def _form(**extra) -> dict:
    data = signup_data()
    form = {k: v for k, v in data.items() if v is not None}
    form["date_of_birth"] = data["date_of_birth"].isoformat()
    form.update(extra)
    return form


@pytest.mark.commitment("C31")
def test_the_sign_up_page_says_so_and_its_box_follows_the_posted_country(db):
    """The page names the lists in plain words; the decline box counts for India, the
    subscribe box for France, whichever other box was ticked."""
    page = Client().get("/signup/").content.decode()
    assert "newsletters and news of promotions" in page
    assert 'name="marketing_decline"' in page and 'name="marketing_opt_in"' in page
    Client().post("/signup/", _form(marketing_decline="on"))
    Client().post("/signup/", _form(country="FR", postal_code="75001", marketing_decline="on",
                                    marketing_opt_in="on", phone="+33612345678"))
    Client().post("/signup/", _form(country="FR", postal_code="75002", marketing_decline="on",
                                    phone="+33612345679"))
    rows = Subscription.objects.filter(list_key="promotions").order_by("pk")
    assert [r.subscribed for r in rows] == [False, True, False]


@pytest.mark.commitment("C31")
def test_the_api_takes_an_optional_marketing_choice(db):
    """``POST /api/v1/signup`` subscribes by default, declines with false, refuses a string."""
    def body(**extra):
        data = signup_data()
        return {"name": data["name"], "email": data["email"], "phone": data["phone"],
                "address": {"line1": "1 Lake Road", "city": "Pune", "postal_code": "411001",
                            "country": "IN"},
                "date_of_birth": "1990-01-01", "password": data["password"],
                "card": {"number": TEST_CARD, "exp_month": 12, "exp_year": 2031, "cvc": "123"},
                **extra}

    client = Client()
    post = lambda b: client.post("/api/v1/signup", json.dumps(b),  # noqa: E731
                                 content_type="application/json")
    assert post(body()).status_code == 201
    assert post(body(marketing=False)).status_code == 201
    bad = post(body(marketing="yes"))
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    rows = Subscription.objects.filter(list_key="newsletters").order_by("pk")
    assert [r.subscribed for r in rows] == [True, False]


@pytest.mark.commitment("C31")
def test_seeded_subscribers_are_on_every_list_with_their_ledger(db):
    """The bulk seeder subscribes each seeded subscriber as sign-up would, with entries."""
    from hostpact.panel.seeding import seed_subscribers

    owners: list = []
    seed_subscribers(3, seed=712, owners=owners)
    subjects = [sid for _, sid in owners]
    rows = Subscription.objects.filter(subject_id__in=subjects)
    per_subscriber = len(MARKETING) + 1
    assert rows.count() == 3 * per_subscriber and all(r.subscribed for r in rows)
    assert SubscriptionChange.objects.filter(subject_id__in=subjects,
                                             method="signup").count() == 3 * per_subscriber
