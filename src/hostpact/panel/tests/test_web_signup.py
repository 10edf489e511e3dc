"""Sign-up at /signup/, which logs the person in and mails a verification link."""

import datetime

import pytest

from hostpact.accounts import services
from hostpact.accounts.models import Profile, User
from hostpact.accounts.tests.helpers import last_mail, link_in
from hostpact.core import clock, ratelimit
from hostpact.core.models import Subject


def form(**over):
    data = {
        "name": "Meera Example", "email": "meera@example.test", "phone": "+91 98765 43210",
        "date_of_birth": "1988-06-01", "line1": "4 Temple Street", "line2": "",
        "city": "Chennai", "region": "Tamil Nadu", "postal_code": "600001", "country": "IN",
        "password": "a-long-enough-pass-1", "card_number": "4242 4242 4242 4242",
        "card_exp_month": "12", "card_exp_year": "2031", "card_cvc": "123",
    }
    data.update(over)
    return data


@pytest.mark.django_db
def test_web_signup_logs_in_and_mails_a_verification_link(client):
    """A valid sign-up creates the account, logs the person in, says to check the email, and
    the mailed link marks the email verified."""
    resp = client.post("/signup/", form(), follow=True)
    assert resp.status_code == 200
    assert "open it to confirm the address" in resp.content.decode()
    user = User.objects.get()
    assert resp.context["user"].pk == user.pk and user.email_verified_at is None
    link = link_in(last_mail(user), "/verify-email/")
    assert client.get(link).status_code == 302
    user.refresh_from_db()
    assert user.email_verified_at is not None


@pytest.mark.django_db
@pytest.mark.commitment("C34")
def test_web_signup_refuses_under_13_and_stores_nothing(client):
    """A child's sign-up at /signup/ is refused with a clear message; nothing about them is
    stored, only the anonymous counter moves."""
    birth = (clock.today() - datetime.timedelta(days=365 * 10)).isoformat()
    resp = client.post("/signup/", form(date_of_birth=birth))
    assert resp.status_code == 403
    body = resp.content.decode()
    assert "children under 13" in body and "Meera" not in body and "meera@" not in body
    assert not User.objects.exists() and not Profile.objects.exists()
    assert not Subject.objects.exists()
    assert ratelimit.value(services.UNDER_13_COUNTER) == 1


@pytest.mark.django_db
@pytest.mark.commitment("C02")
def test_card_number_and_cvc_never_echoed_on_error(client):
    """A declined card is reported on the card field; the number and CVC are not in the page."""
    resp = client.post("/signup/", form(card_number="4000000000000002", card_cvc="314"))
    assert resp.status_code == 400
    assert "card_number" in resp.context["form"].errors
    page = resp.content.decode()
    assert "4000000000000002" not in page and "314" not in page
    assert not User.objects.exists()


@pytest.mark.django_db
def test_duplicate_email_is_named_on_the_email_field(client, subscriber):
    """Signing up with a registered email re-renders the form with an error on email."""
    resp = client.post("/signup/", form(email=subscriber.email))
    assert resp.status_code == 400
    assert "email" in resp.context["form"].errors
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_bad_fields_rerender_the_form_naming_them(client):
    """A bad phone and postal code come back as errors on those fields; nothing is stored."""
    resp = client.post("/signup/", form(phone="12", postal_code="ABC"))
    assert resp.status_code == 400
    assert {"phone", "postal_code"} <= set(resp.context["form"].errors)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_rate_limit_per_address(client, settings):
    """Past the hourly limit per address, sign-up answers 429 and creates nothing."""
    settings.SIGNUP_RATE_PER_HOUR = 1
    assert client.post("/signup/", form()).status_code == 302
    resp = client.post("/signup/", form(email="other@example.test"))
    assert resp.status_code == 429 and User.objects.count() == 1
