"""The panel's contact pages and the public verification link page."""

import datetime
import re

import pytest
from django.urls import reverse

from hostpact.core import clock
from hostpact.core.models import OutboxMessage
from hostpact.domains.models import Contact
from hostpact.domains.services.contacts import create_contact
from hostpact.domains.tests.helpers import contact_fields, register

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)
ROLES = ("registrant", "admin", "tech", "billing")


@pytest.fixture
def domain(subscriber):
    with clock.freeze(START):
        owner = contact_fields(name="Asha Owner", email="asha@example.test")
        return register(subscriber, "pages.test", contacts={
            "registrant": owner, "admin": owner,
            "tech": contact_fields(name="Tej Tech"), "billing": contact_fields(name="Bina Bill")})


@pytest.fixture
def panel(client, subscriber):
    client.force_login(subscriber)
    return client


def registrant(domain) -> Contact:
    return domain.roles.get(role="registrant").contact


def edit_data(contact: Contact, **changes) -> dict:
    data = {k: getattr(contact, k) or "" for k in (
        "name", "organization", "email", "phone", "line1", "line2", "city", "region",
        "postal_code", "country")}
    return {"action": "save", **data, **changes}


def test_the_list_shows_each_contact_with_its_domains_and_roles(panel, domain):
    """The list shows handle, name, email, whether it is confirmed, the domains and roles
    using it, and whether it is published."""
    resp = panel.get(reverse("domains:contacts"))
    assert resp.status_code == 200
    page = resp.content.decode()
    owner = registrant(domain)
    row = re.search(rf'<tr data-handle="{owner.handle}">(.*?)</tr>', page, re.S).group(1)
    assert "Asha Owner" in row and "asha@example.test" in row
    assert "pages.test (administrative, registrant)" in row
    assert "<strong>No</strong>" in row  # not confirmed yet
    assert row.rstrip().endswith("<td>No</td>")  # not published
    assert page.count("<tr data-handle=") == 3
    assert reverse("domains:contacts") in page  # the panel's navigation links it


def test_the_list_and_pages_need_a_login(client, domain):
    """Signed out, the contact pages send to the login page."""
    for url in (reverse("domains:contacts"),
                reverse("domains:contact", args=[registrant(domain).handle])):
        resp = client.get(url)
        assert resp.status_code == 302 and reverse("accounts:login") in resp["Location"]


def test_another_subscribers_contact_answers_404(client, domain, other_subscriber):
    """Another subscriber's handle answers 404 to reading and to each change, and nothing of
    the contact changes."""
    contact = registrant(domain)
    client.force_login(other_subscriber)
    url = reverse("domains:contact", args=[contact.handle])
    assert client.get(url).status_code == 404
    for data in (edit_data(contact, city="Elsewhere"), {"action": "publish", "publish": "on"},
                 {"action": "resend"}):
        assert client.post(url, data).status_code == 404
    contact.refresh_from_db()
    assert contact.city == "Pune" and not contact.publish
    assert "Asha Owner" not in client.get(reverse("domains:contacts")).content.decode()


def test_the_detail_form_saves_a_change(panel, domain):
    """The labelled form saves a change and says so."""
    contact = registrant(domain)
    url = reverse("domains:contact", args=[contact.handle.lower()])
    page = panel.get(url).content.decode()
    assert '<label for="id_city">' in page and 'value="Pune"' in page
    resp = panel.post(url, edit_data(contact, city="Nagpur"), follow=True)
    assert "The contact is updated." in resp.content.decode()
    contact.refresh_from_db()
    assert contact.city == "Nagpur"


def test_bad_input_shows_the_error_at_its_field_and_changes_nothing(panel, domain):
    """An invalid email answers 400 with the error beside the email field; nothing is
    saved."""
    contact = registrant(domain)
    resp = panel.post(reverse("domains:contact", args=[contact.handle]),
                      edit_data(contact, email="not-an-email", city="Nagpur"))
    assert resp.status_code == 400
    assert re.search(r'<p class="error" id="id_email_error">', resp.content.decode())
    contact.refresh_from_db()
    assert contact.email == "asha@example.test" and contact.city == "Pune"


def test_the_publish_checkbox_records_consent_and_explains_it(panel, domain):
    """The page explains what becomes public; ticking the box publishes the contact,
    unticking withdraws it."""
    contact = registrant(domain)
    url = reverse("domains:contact", args=[contact.handle])
    page = panel.get(url).content.decode()
    assert "not published" in page
    assert "name, organization, email address, phone number and postal address" in page
    panel.post(url, {"action": "publish", "publish": "on"})
    contact.refresh_from_db()
    assert contact.publish and contact.publish_policy_version
    assert "under version" in panel.get(url).content.decode()
    panel.post(url, {"action": "publish"})
    contact.refresh_from_db()
    assert not contact.publish


def test_the_resend_button_mails_the_link_again(panel, domain):
    """An unconfirmed registrant gets the link again from the resend button."""
    contact = registrant(domain)
    url = reverse("domains:contact", args=[contact.handle])
    assert "Send the confirmation link again" in panel.get(url).content.decode()
    before = OutboxMessage.objects.filter(subject_id=contact.contact_subject_id).count()
    with clock.freeze(START + datetime.timedelta(days=1)):
        resp = panel.post(url, {"action": "resend"}, follow=True)
    assert "We sent a new confirmation link" in resp.content.decode()
    assert OutboxMessage.objects.filter(
        subject_id=contact.contact_subject_id).count() == before + 1


def test_a_contact_of_no_domain_gets_no_link(panel, subscriber):
    """A contact that is registrant of nothing is not mailed a link."""
    contact = create_contact(subscriber, contact_fields(), "system:test")
    resp = panel.post(reverse("domains:contact", args=[contact.handle]), {"action": "resend"},
                      follow=True)
    assert "Only a registrant" in resp.content.decode()
    assert not OutboxMessage.objects.filter(subject_id=contact.contact_subject_id).exists()


def test_the_verification_link_page_confirms_and_refuses_a_bad_link(client, domain):
    """Opening the mailed link (no login needed) confirms the address; a mangled link answers
    400 with a clear message."""
    contact = registrant(domain)
    mail = OutboxMessage.objects.get(subject_id=contact.contact_subject_id)
    path = re.search(r"https?://[^/\s]+(/domains/verify/\S+/)", mail.body).group(1)
    with clock.freeze(START + datetime.timedelta(days=1)):
        resp = client.get(path)
    assert resp.status_code == 200 and "Email address confirmed" in resp.content.decode()
    contact.refresh_from_db()
    assert contact.email_verified_at == START + datetime.timedelta(days=1)
    bad = client.get(reverse("domains:verify_contact", args=["not-a-token"]))
    assert bad.status_code == 400 and "Link not valid" in bad.content.decode()
