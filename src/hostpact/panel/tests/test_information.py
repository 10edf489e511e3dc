"""My information: every personal item held, listed from the data map (C32)."""

import re

import pytest

from hostpact.accounts.tests.helpers import web_login
from hostpact.privacy import registry
from hostpact.privacy.subject_data import items_for


@pytest.mark.django_db
@pytest.mark.commitment("C32")
def test_my_information_lists_every_personal_item_from_the_data_map(client, subscriber):
    """Every personal, non-derived field of the subscriber's rows in the data map is listed;
    the card token and the password hash are not shown, blind indexes are skipped."""
    web_login(client, subscriber)
    resp = client.get("/panel/information/")
    page = resp.content.decode()
    listed = set(re.findall(r'data-field="([^"]+)"', page))
    for model, fields in [("accounts.Profile", ["name", "phone", "line1", "city",
                                                "postal_code", "country", "date_of_birth"]),
                          ("accounts.User", ["email", "password"]),
                          ("billing.PaymentMethod", ["brand", "last4", "exp_month", "exp_year",
                                                     "token"]),
                          ("accounts.LoginSession", ["session_key", "user_agent"])]:
        for name in fields:
            assert f"{model}.{name}" in listed
    assert "accounts.User.email_index" not in listed
    assert "accounts.Profile.phone_index" not in listed
    profile = subscriber.profile
    for value in (profile.name, profile.phone, profile.line1, subscriber.email, "4242"):
        assert value in page
    card = subscriber.payment_methods.get()
    assert card.token not in page and subscriber.password not in page
    assert "Set, last changed" in page
    # Labels come from the data map, not from the template.
    assert registry.for_model(type(profile)).fields["phone"].label in page


@pytest.mark.django_db
def test_subject_data_covers_linked_rows_only_for_that_subject(subscriber, other_subscriber):
    """items_for() returns one subject's data and none of another subscriber's."""
    mine = items_for(subscriber.subject_id)
    values = {i.value for i in mine}
    assert subscriber.email in values and other_subscriber.email not in values
    assert all(i.purposes and i.category for i in mine)
