"""The under-13 rule holds to the day (C34): a 13th birthday tomorrow is refused, today is not.

The same boundary through every door a date of birth comes in by: the sign-up API, the sign-up
page and the correction of one's own profile (``PATCH /api/v1/me``).
"""

import datetime

import pytest

from hostpact.accounts.models import User
from hostpact.accounts.tests.helpers import web_login
from hostpact.core import clock
from hostpact.panel.tests.test_signup_api import body as api_body
from hostpact.panel.tests.test_web_signup import form as web_form

# Noon in India, where "today" is counted.
NOON = datetime.datetime(2030, 6, 15, 6, 30, tzinfo=datetime.UTC)
THIRTEEN_TODAY = "2017-06-15"
THIRTEEN_TOMORROW = "2017-06-16"


@pytest.mark.django_db
@pytest.mark.commitment("C34")
def test_signup_api_refuses_a_13th_birthday_tomorrow_and_accepts_one_today(client):
    """``POST /api/v1/signup`` answers 403 under_13 the day before the 13th birthday and 201
    on the day itself."""
    with clock.freeze(NOON):
        refused = client.post("/api/v1/signup", api_body(date_of_birth=THIRTEEN_TOMORROW),
                              content_type="application/json")
        assert refused.status_code == 403 and refused.json()["code"] == "under_13"
        assert not User.objects.exists()
        accepted = client.post("/api/v1/signup", api_body(date_of_birth=THIRTEEN_TODAY),
                               content_type="application/json")
    assert accepted.status_code == 201, accepted.content
    assert User.objects.get().profile.date_of_birth == datetime.date(2017, 6, 15)


@pytest.mark.django_db
@pytest.mark.commitment("C34")
def test_signup_page_refuses_a_13th_birthday_tomorrow_and_accepts_one_today(client):
    """The sign-up page refuses the day before the 13th birthday and signs up on the day."""
    with clock.freeze(NOON):
        refused = client.post("/signup/", web_form(date_of_birth=THIRTEEN_TOMORROW))
        assert refused.status_code == 403 and "children under 13" in refused.content.decode()
        assert not User.objects.exists()
        accepted = client.post("/signup/", web_form(date_of_birth=THIRTEEN_TODAY))
    assert accepted.status_code == 302
    assert User.objects.get().profile.date_of_birth == datetime.date(2017, 6, 15)


@pytest.mark.django_db
@pytest.mark.commitment("C34")
def test_birth_date_correction_refuses_a_13th_birthday_tomorrow_and_accepts_one_today(
        client, subscriber):
    """``PATCH /api/v1/me`` refuses a date of birth whose 13th birthday is tomorrow, changing
    nothing, and accepts one whose 13th birthday is today."""
    web_login(client, subscriber)
    with clock.freeze(NOON):
        refused = client.patch("/api/v1/me", {"date_of_birth": THIRTEEN_TOMORROW},
                               content_type="application/json")
        assert refused.status_code == 400 and refused.json()["code"] == "under_13"
        assert "date_of_birth" in refused.json()["errors"]
        assert User.objects.get(pk=subscriber.pk).profile.date_of_birth == datetime.date(
            1990, 1, 1)
        accepted = client.patch("/api/v1/me", {"date_of_birth": THIRTEEN_TODAY},
                                content_type="application/json")
    assert accepted.status_code == 200, accepted.content
    assert User.objects.get(pk=subscriber.pk).profile.date_of_birth == datetime.date(
        2017, 6, 15)
