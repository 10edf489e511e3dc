"""The control panel's account pages: correcting contact data and the email address, the
password and two-factor (C32, C33)."""

import datetime

import pytest

from hostpact.accounts.models import User
from hostpact.accounts.tests.helpers import PASSWORD, last_mail, link_in, web_login
from hostpact.core import clock
from hostpact.core.models import AuditEntry


def contact(profile, **over):
    data = {k: getattr(profile, k) or "" for k in
            ["name", "phone", "line1", "line2", "city", "region", "postal_code",
             "country"]}
    data["date_of_birth"] = profile.date_of_birth.isoformat()
    data.update(over)
    return data


@pytest.mark.django_db
@pytest.mark.commitment("C32")
@pytest.mark.commitment("C33")
def test_correct_name_phone_and_address_in_the_panel(client, subscriber):
    """The contact form corrects name, phone and postal address; the phone look-up key follows
    and the ledger names the fields, never the values."""
    web_login(client, subscriber)
    resp = client.post("/panel/information/contact/", contact(
        subscriber.profile, name="Asha Corrected", phone="+91 91234 56789",
        line1="9 New Road", city="Mumbai", postal_code="400001"))
    assert resp.status_code == 302
    profile = User.objects.get(pk=subscriber.pk).profile
    assert (profile.name, profile.phone, profile.line1, profile.city,
            profile.postal_code) == ("Asha Corrected", "+919123456789", "9 New Road", "Mumbai",
                                     "400001")
    from hostpact.core import crypto
    assert profile.phone_index == crypto.blind_index("phone", "+919123456789")
    entry = AuditEntry.objects.filter(action="accounts.profile.update").get()
    assert set(entry.fields) == {"name", "phone", "line1", "city", "postal_code"}
    assert "Asha Corrected" not in str(entry.__dict__)
    assert "Asha Corrected" in client.get("/panel/information/").content.decode()


@pytest.mark.django_db
def test_bad_contact_correction_changes_nothing(client, subscriber):
    """An invalid phone re-renders the form naming the field; nothing is written."""
    web_login(client, subscriber)
    before = subscriber.profile.phone
    resp = client.post("/panel/information/contact/",
                       contact(subscriber.profile, phone="12", name="Changed Name"))
    assert resp.status_code == 400 and "phone" in resp.context["form"].errors
    profile = User.objects.get(pk=subscriber.pk).profile
    assert profile.phone == before and profile.name != "Changed Name"


@pytest.mark.django_db
@pytest.mark.commitment("C34")
def test_birth_date_cannot_be_changed_to_under_13(client, subscriber):
    """Changing the date of birth to an age under 13 is refused with a clear message."""
    web_login(client, subscriber)
    child = (clock.today() - datetime.timedelta(days=365 * 8)).isoformat()
    resp = client.post("/panel/information/contact/",
                       contact(subscriber.profile, date_of_birth=child))
    assert resp.status_code == 400
    assert "under 13" in str(resp.context["form"].errors["date_of_birth"])
    assert User.objects.get(pk=subscriber.pk).profile.date_of_birth == datetime.date(1990, 1, 1)


@pytest.mark.django_db
@pytest.mark.commitment("C32")
@pytest.mark.commitment("C33")
def test_email_change_is_reverified(client, subscriber):
    """A new email is held as pending and mailed a link; the login email changes only when the
    link is opened, and the old address is told."""
    web_login(client, subscriber)
    old = subscriber.email
    resp = client.post("/panel/information/email/",
                       {"email": "New.Address@Example.test", "current_password": PASSWORD})
    assert resp.status_code == 302
    user = User.objects.get(pk=subscriber.pk)
    assert user.email == old and user.pending_email == "new.address@example.test"
    assert last_mail(user, to=old).subject_line.startswith("Your hostpact email address")
    link = link_in(last_mail(user, to="new.address@example.test"), "/verify-email/")
    client.get(link)
    user = User.objects.get(pk=subscriber.pk)
    assert user.email == "new.address@example.test" and user.pending_email is None
    client.post("/logout/")
    assert client.post("/login/", {"username": "new.address@example.test",
                                   "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
def test_email_change_needs_the_password_and_a_free_address(client, subscriber, other_subscriber):
    """A wrong current password or an address in use is refused on its field."""
    web_login(client, subscriber)
    resp = client.post("/panel/information/email/",
                       {"email": "x@example.test", "current_password": "wrong"})
    assert "current_password" in resp.context["form"].errors
    resp = client.post("/panel/information/email/",
                       {"email": other_subscriber.email, "current_password": PASSWORD})
    assert "email" in resp.context["form"].errors
    assert User.objects.get(pk=subscriber.pk).pending_email is None


@pytest.mark.django_db
def test_change_password_signs_out_other_sessions(client, subscriber):
    """Changing the password needs the current one, keeps this session, ends the others."""
    from django.test import Client

    other = Client()
    web_login(other, subscriber)
    web_login(client, subscriber)
    resp = client.post("/panel/security/password/", {
        "pw-current_password": "wrong", "pw-new_password1": "brand-new-secret-9",
        "pw-new_password2": "brand-new-secret-9"})
    assert resp.status_code == 400
    resp = client.post("/panel/security/password/", {
        "pw-current_password": PASSWORD, "pw-new_password1": "brand-new-secret-9",
        "pw-new_password2": "brand-new-secret-9"})
    assert resp.status_code == 302
    assert client.get("/panel/").status_code == 200
    assert other.get("/panel/").status_code == 302
    assert User.objects.get(pk=subscriber.pk).check_password("brand-new-secret-9")


@pytest.mark.django_db
def test_two_factor_setup_and_disable_in_the_panel(client, subscriber, settings):
    """The set-up page shows the secret and a QR code; a right code turns 2FA on and shows 10
    backup codes once; turning it off needs the password."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hostpact.accounts.tests.test_login import current_code

    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    web_login(client, subscriber)
    page = client.get("/panel/security/two-factor/")
    assert "<svg" in page.content.decode() and "otpauth://totp/" in page.content.decode()
    device = TOTPDevice.objects.get(user=subscriber)
    resp = client.post("/panel/security/two-factor/", {"code": current_code(device)})
    assert resp.status_code == 200 and len(resp.context["codes"]) == 10
    assert TOTPDevice.objects.get(user=subscriber).confirmed
    resp = client.post("/panel/security/two-factor/disable/", {"off-current_password": "nope"})
    assert resp.status_code == 400 and TOTPDevice.objects.exists()
    client.post("/panel/security/two-factor/disable/", {"off-current_password": PASSWORD})
    assert not TOTPDevice.objects.exists()
