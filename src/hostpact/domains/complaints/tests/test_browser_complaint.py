"""A third party's complaint about a private domain, run in Chromium up to deactivation."""

import datetime
import re

import pytest

from hostpact.core import clock
from hostpact.core.mail import deliver_queued
from hostpact.domains.complaints.tasks import enforce_complaints
from hostpact.domains.complaints.tests.helpers import DUE, FILED, at, private_domain
from hostpact.domains.models import Domain, DomainContact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, settings, mail_catcher):
    settings.SITE_URL = live_server.url
    return live_server.url


def _mail_to(mail_catcher, address: str) -> list:
    return [m for m in mail_catcher.messages() if m.headers()["to"] == address]


@pytest.mark.commitment("C29")
def test_complaint_form_to_deactivation_and_disclosure(page, site, mail_catcher, subscriber):
    """The complainant files by the form's labels, the customer is mailed for assurances, none
    come by the deadline, the task holds the domain and the complainant is mailed the
    registrant's contact; the customer's page shows each step."""
    with clock.freeze(FILED):
        domain = private_domain(subscriber, "quiet-shop.test")
        deliver_queued()
        page.goto(f"{site}/domains/complaints/new/")
        page.get_by_label("Domain name").fill("quiet-shop.test")
        page.get_by_label("Your name").fill("Meera Rightsholder")
        page.get_by_label("Organisation (optional)").fill("Brand Owner Pvt Ltd")
        page.get_by_label("Your email address").fill("legal@brand-owner.example")
        page.get_by_label("Grounds of the complaint").fill(
            "The site at this domain sells counterfeit goods under our registered mark.")
        page.get_by_role("button", name="Send the complaint").click()
        assert page.get_by_text(re.compile("Your complaint about quiet-shop.test was received"))\
            .is_visible()
        deliver_queued()
    [asked] = [m for m in _mail_to(mail_catcher, subscriber.email)
               if "Complaint" in m.headers()["subject"]]
    assert "indemnify" in asked.text() and "17 March 2026" in asked.text()
    assert _mail_to(mail_catcher, "legal@brand-owner.example")

    with clock.freeze(at(DUE + datetime.timedelta(days=1))):
        assert enforce_complaints.call() == 1
        deliver_queued()
    domain = Domain.objects.get(pk=domain.pk)
    assert "clientHold" in domain.statuses
    registrant = DomainContact.objects.get(domain=domain, role="registrant").contact
    contact_mail = _mail_to(mail_catcher, "legal@brand-owner.example")[-1]
    assert registrant.name in contact_mail.text() and registrant.email in contact_mail.text()

    page.goto(f"{site}/login/")
    page.get_by_label("Email or customer ID").fill(subscriber.email)
    page.get_by_label("Password").fill("correct-horse-battery-1")
    page.get_by_role("button", name=re.compile("Log in", re.I)).click()
    page.wait_for_url(re.compile(r"/panel/"))
    page.goto(f"{site}/panel/complaints/")
    page.get_by_role("link", name=re.compile(r"C-\d+")).click()
    assert page.get_by_text("Deadline passed without assurances").is_visible()
    assert page.get_by_text(re.compile("Domain deactivated; contact disclosed")).is_visible()
