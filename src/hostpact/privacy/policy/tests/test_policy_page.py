"""The public /policy/ page: version in force, upcoming, history, contact, questions (C36, C37)."""

import datetime

import pytest

from hostpact.core import clock
from hostpact.core.models import AuditEntry, OutboxMessage, Subject
from hostpact.privacy.policy import services
from hostpact.privacy.policy.markdown import render
from hostpact.privacy.policy.models import Inquiry
from hostpact.privacy.policy.tests.helpers import NEW_USE, T0, publish_material
from hostpact.testing.factories import make_staff

pytestmark = pytest.mark.django_db

QUESTION = {"name": "Ravi Asker", "email": "ravi.asker@example.test",
            "question": "Do you share my email address with advertisers?"}


@pytest.mark.commitment("C36")
def test_policy_page_shows_version_in_force_upcoming_and_history_with_diff(client):
    """/policy/ shows the version in force with its number and date, an upcoming version with
    its date and new uses, and the history with an escaped diff between versions."""
    with clock.freeze(T0):
        publish_material(text="# Privacy Policy\n\nWe now <b>also</b> promote.")
        page = client.get("/policy/").content.decode()
    assert 'data-testid="version-number">1<' in page
    assert "23 May 2018" in page
    assert "Coming on 2 April 2026: version 2" in page
    assert NEW_USE in page
    assert "What changed from version 1 to version 2" in page
    assert "+We now &lt;b&gt;also&lt;/b&gt; promote." in page
    assert "<b>also</b>" not in page
    with clock.freeze(T0 + datetime.timedelta(days=40)):
        page = client.get("/policy/").content.decode()
        assert 'data-testid="version-number">2<' in page
        assert client.get("/policy/1/").status_code == 200
        assert "Was in force from" in client.get("/policy/1/").content.decode()
    assert client.get("/policy/99/").status_code == 404


def test_policy_page_has_the_data_map_annex():
    """The annex lists categories, purposes, retention and erasure from the data map, and the
    kinds of recipients from the disclosures registry."""
    from django.test import Client

    page = Client().get("/policy/").content.decode()
    assert 'data-category="user.contact.email"' in page
    assert "marketing.communications.email.promotions" in page
    assert "while the account is open" in page
    assert "8 years after the financial year of the invoice" in page  # invoices (tax class)
    assert "crypto-shred" in page
    assert "Who may receive it" in page and "Service provider" in page


@pytest.mark.commitment("C37")
def test_policy_page_shows_the_legal_contact(client, settings):
    """The legal department's email and postal address are on /policy/, from settings."""
    settings.POLICY_CONTACT_EMAIL = "legal@hostpact.test"
    page = client.get("/policy/").content.decode()
    assert "legal@hostpact.test" in page
    assert "Legal department, hostpact" in page
    assert 'id="questions"' in page and 'name="question"' in page


@pytest.mark.commitment("C37")
def test_question_form_creates_an_inquiry_and_a_confirmation_mail(client):
    """A question creates an encrypted inquiry under a new 'inquirer' subject, audits it and
    queues a confirmation mail to the asker."""
    resp = client.post("/policy/", QUESTION, follow=True)
    assert resp.status_code == 200
    assert "your question was received" in resp.content.decode()
    inquiry = Inquiry.objects.get()
    assert inquiry.subject.kind == Subject.Kind.INQUIRER
    assert (inquiry.name, inquiry.email, inquiry.question) == (
        QUESTION["name"], QUESTION["email"], QUESTION["question"])
    assert inquiry.version.number == 1
    mail = OutboxMessage.objects.get(subject_id=inquiry.subject_id)
    assert mail.to_addr == QUESTION["email"] and f"Q-{inquiry.pk}" in mail.body
    assert AuditEntry.objects.filter(action="policy.inquiry",
                                     subject_id=inquiry.subject_id).exists()


@pytest.mark.commitment("C37")
@pytest.mark.parametrize("field,value", [("email", "not-an-email"), ("name", "  "),
                                         ("question", "short")])
def test_bad_question_rerenders_with_field_errors(client, field, value):
    """A bad field re-renders the form (400) with an error on that field; nothing is stored."""
    resp = client.post("/policy/", {**QUESTION, field: value})
    assert resp.status_code == 400
    assert resp.context["form"].errors[field]
    assert f'id="id_{field}_error"' in resp.content.decode()
    assert not Inquiry.objects.exists() and not OutboxMessage.objects.exists()


def test_questions_are_rate_limited_per_address(client, settings):
    """Past the hourly limit per address, questions are refused with 429 and not stored."""
    settings.POLICY_INQUIRY_RATE_PER_HOUR = 2
    with clock.freeze(T0):
        for _ in range(2):
            assert client.post("/policy/", QUESTION).status_code == 302
        resp = client.post("/policy/", QUESTION)
    assert resp.status_code == 429
    assert "Too many questions" in resp.content.decode()
    assert Inquiry.objects.count() == 2


def test_staff_reading_an_inquiry_is_logged(client):
    """The inquiry list shows ids and dates, not names; opening one is a logged staff read."""
    inquiry = services.ask_question(**QUESTION)
    staff = make_staff(groups=["compliance"])
    client.force_login(staff)
    listing = client.get("/admin/policy/inquiry/").content.decode()
    assert f"inquiry {inquiry.pk}" in listing and QUESTION["name"] not in listing
    page = client.get(f"/admin/policy/inquiry/{inquiry.pk}/change/")
    assert page.status_code == 200 and QUESTION["question"] in page.content.decode()
    entry = AuditEntry.objects.filter(action="staff.read", subject_id=inquiry.subject_id).get()
    assert entry.fields == ["email", "name", "question"]


def test_staff_publish_a_version_in_the_back_office(client):
    """Compliance staff publish through the admin; a too-early material date is refused."""
    staff = make_staff(groups=["compliance"])
    client.force_login(staff)
    form = {"title": "Privacy Policy", "text": "# Policy\n\nText.", "material": "on",
            "new_uses": NEW_USE, "summary": "Promotions.",
            "effective_at_0": "2026-03-10", "effective_at_1": "10:00:00"}
    with clock.freeze(T0):
        resp = client.post("/admin/policy/policyversion/add/", form)
        assert resp.status_code == 200 and "at least 30 days" in resp.content.decode()
        resp = client.post("/admin/policy/policyversion/add/",
                           {**form, "effective_at_0": "2026-04-15"})
    assert resp.status_code == 302
    assert services.upcoming(T0)[0].new_uses == [NEW_USE]


def test_markdown_renderer_escapes_html_and_unsafe_links():
    """The renderer escapes every tag of the source and drops javascript: links, keeping
    their text."""
    html = render("# Title\n\n<script>alert(1)</script> **bold** [x](javascript:alert(1)) "
                  "[ok](https://example.test/)\n\n- one\n- two\n\n2. second\n3. third")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<h2>Title</h2>" in html and "<strong>bold</strong>" in html
    assert "javascript:" not in html and ('<a href="https://example.test/" rel="noopener '
                                          'noreferrer" class="external">ok<span') in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html and '<ol start="2">' in html


def test_api_lists_versions_with_the_one_in_force(client):
    """GET /api/v1/policy/versions lists every version and marks the one in force."""
    with clock.freeze(T0):
        publish_material()
        data = client.get("/api/v1/policy/versions").json()
    assert [(v["number"], v["in_force"]) for v in data] == [(1, True), (2, False)]
    assert data[1]["new_uses"] == [NEW_USE]
