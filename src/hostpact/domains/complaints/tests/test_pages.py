"""The complaint pages: the public form, the customer's cases and answer, and the abuse desk's
back office."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hostpact.core import clock
from hostpact.core.models import AuditEntry
from hostpact.domains.complaints.models import Complaint
from hostpact.domains.complaints.tests.helpers import (
    DUE,
    FILED,
    at,
    complainant,
    file,
    private_domain,
)
from hostpact.domains.tests.helpers import register
from hostpact.testing import factories

pytestmark = pytest.mark.django_db
NEW = reverse("domain_complaints:new")


def form_data(domain_name: str, **overrides) -> dict:
    data = {"domain": domain_name, **complainant()}
    data.update(overrides)
    return data


def staff_client(*groups) -> Client:
    client = Client()
    client.force_login(factories.make_staff(groups=groups))
    return client


def test_the_public_form_is_labelled_and_files_a_complaint(subscriber):
    """The form's fields are labelled; a valid complaint is received with its reference."""
    with clock.freeze(FILED):
        domain = private_domain(subscriber)
        page = Client().get(NEW)
        assert page.status_code == 200
        html = page.content.decode()
        for label in ("Domain name", "Your name", "Your email address",
                      "Grounds of the complaint", "csrfmiddlewaretoken"):
            assert label in html
        resp = Client().post(NEW, form_data(domain.name.upper()))
    assert resp.status_code == 201
    complaint = Complaint.objects.get()
    assert f"C-{complaint.pk}" in resp.content.decode() and complaint.domain == domain


@pytest.mark.parametrize("overrides, message", [
    ({"email": "not-an-email"}, "Enter a valid email address"),
    ({"name": "   "}, "This field is required"),
    ({"grounds": "too short"}, "at least 20 characters"),
    ({"domain": ""}, "This field is required"),
    ({"domain": "bad domain!"}, "domain"),
])
def test_bad_input_on_the_form_names_the_problem_and_stores_nothing(subscriber, overrides,
                                                                     message):
    """Bad input answers 400 with a message, and no complaint is stored."""
    domain = private_domain(subscriber)
    resp = Client().post(NEW, form_data(domain.name, **overrides))
    assert resp.status_code == 400
    assert message in resp.content.decode()
    assert not Complaint.objects.exists()


def test_a_domain_without_privacy_gets_a_clear_answer(subscriber):
    """A complaint about a public domain is refused with the reason, nothing stored."""
    domain = register(subscriber)
    resp = Client().post(NEW, form_data(domain.name))
    assert resp.status_code == 400
    assert "does not use our privacy service" in resp.content.decode()
    assert not Complaint.objects.exists()


def test_the_form_is_rate_limited_per_address(subscriber, settings):
    """Past the hourly limit per address the form answers 429 and stores nothing."""
    settings.DOMAIN_COMPLAINT_RATE_PER_HOUR = 1
    domain = private_domain(subscriber)
    Client().post(NEW, form_data("nobody-has-this.test"))
    resp = Client().post(NEW, form_data(domain.name))
    assert resp.status_code == 429 and "Too many complaints" in resp.content.decode()
    assert not Complaint.objects.exists()


def test_the_form_needs_the_csrf_token(subscriber):
    """A post without the CSRF token is refused."""
    domain = private_domain(subscriber)
    resp = Client(enforce_csrf_checks=True).post(NEW, form_data(domain.name))
    assert resp.status_code == 403
    assert not Complaint.objects.exists()


def test_the_customer_answers_in_the_panel_and_sees_the_timeline(subscriber):
    """The customer lists the case, answers with the indemnity and a proof file, and sees each
    step with its date."""
    with clock.freeze(FILED):
        complaint = file(private_domain(subscriber))
    client = Client()
    client.force_login(subscriber)
    listing = client.get(reverse("domain_complaints:mine")).content.decode()
    assert f"C-{complaint.pk}" in listing
    url = reverse("domain_complaints:answer", args=[complaint.pk])
    with clock.freeze(at(DUE)):
        page = client.get(url).content.decode()
        assert "Meera Rightsholder" in page and "17 March 2026" in page
        proof = SimpleUploadedFile("proof.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64,
                                   content_type="image/png")
        resp = client.post(url, {"statement": "I called the complainant on 5 March 2026.",
                                 "indemnity": "on", "evidence": proof})
    assert resp.status_code == 302
    page = client.get(url).content.decode()
    assert "Assurances given by the customer" in page and "2 Mar 2026" in page
    assert "17 Mar 2026" in page
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.ANSWERED
    assert complaint.answer.evidence_type == "image/png"
    assert "I called the complainant on 5 March 2026." in page and "proof.png" in page


@pytest.mark.parametrize("data, message", [
    ({"statement": "I called the complainant on 5 March 2026."}, "This field is required"),
    ({"statement": "too short", "indemnity": "on"}, "at least 20 characters"),
])
def test_incomplete_answers_are_refused(subscriber, data, message):
    """Without the indemnity, or with a short statement, the answer is refused (400)."""
    complaint = file(private_domain(subscriber))
    client = Client()
    client.force_login(subscriber)
    resp = client.post(reverse("domain_complaints:answer", args=[complaint.pk]), data)
    assert resp.status_code == 400 and message in resp.content.decode()
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.AWAITING_ANSWER


def test_a_proof_of_the_wrong_type_is_refused(subscriber):
    """An executable uploaded as proof is refused by its content, whatever its name."""
    complaint = file(private_domain(subscriber))
    client = Client()
    client.force_login(subscriber)
    upload = SimpleUploadedFile("proof.pdf", b"MZ\x90\x00\x03\x00\x00\x00",
                                content_type="application/pdf")
    resp = client.post(reverse("domain_complaints:answer", args=[complaint.pk]), {
        "statement": "I called the complainant on 5 March 2026.", "indemnity": "on",
        "evidence": upload})
    assert resp.status_code == 400 and "PDF, PNG, JPEG or plain text" in resp.content.decode()


def test_another_subscribers_complaint_answers_404(subscriber, other_subscriber):
    """Another subscriber's case answers 404 to read and to answer, and is not listed."""
    complaint = file(private_domain(subscriber))
    client = Client()
    client.force_login(other_subscriber)
    url = reverse("domain_complaints:answer", args=[complaint.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"statement": "x" * 30, "indemnity": "on"}).status_code == 404
    assert f"C-{complaint.pk}" not in client.get(
        reverse("domain_complaints:mine")).content.decode()
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.AWAITING_ANSWER


def test_the_panel_pages_need_a_login(subscriber):
    """Without a login the panel pages redirect to the login page."""
    complaint = file(private_domain(subscriber))
    for url in (reverse("domain_complaints:mine"),
                reverse("domain_complaints:answer", args=[complaint.pk])):
        assert Client().get(url).status_code == 302


def test_the_abuse_desk_files_reads_and_decides_in_the_back_office(subscriber):
    """Abuse staff file a complaint, open it (a logged read) and accept the answer."""
    domain = private_domain(subscriber)
    client = staff_client("abuse")
    add = reverse("admin:domain_complaints_complaint_add")
    assert client.get(add).status_code == 200
    resp = client.post(add, form_data(domain.name))
    assert resp.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.filed_by.startswith("staff:")
    page = client.get(reverse("admin:domain_complaints_complaint_change", args=[complaint.pk]))
    assert page.status_code == 200 and "Meera Rightsholder" in page.content.decode()
    assert AuditEntry.objects.filter(action="staff.read", subject_id=complaint.subject_id)
    from hostpact.domains.complaints import services

    services.answer_complaint(complaint, statement="I emailed the complainant my address.",
                              indemnity=True, evidence=b"%PDF-1.4 proof",
                              evidence_name="proof.pdf", actor="subscriber:test")
    page = client.get(reverse("admin:domain_complaints_complaint_change", args=[complaint.pk]))
    assert "I emailed the complainant my address." in page.content.decode()
    assert any("statement" in e.fields for e in AuditEntry.objects.filter(
        action="staff.read", subject_id=subscriber.subject_id))
    proof = client.get(reverse("admin:domain_complaints_complaint_proof", args=[complaint.pk]))
    assert proof.status_code == 200 and proof.content.startswith(b"%PDF-")
    resp = client.post(reverse("admin:domain_complaints_complaint_changelist"), {
        "action": "accept", "_selected_action": [complaint.pk]})
    assert resp.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.CLOSED


def test_only_the_abuse_role_opens_the_complaints(subscriber):
    """Support and compliance staff cannot open, file or decide complaints."""
    complaint = file(private_domain(subscriber))
    for group in ("support", "compliance", "marketing"):
        client = staff_client(group)
        assert client.get(reverse("admin:domain_complaints_complaint_changelist")
                          ).status_code == 403
        assert client.get(reverse("admin:domain_complaints_complaint_add")).status_code == 403
        assert client.get(reverse("admin:domain_complaints_complaint_change",
                                  args=[complaint.pk])).status_code in (302, 403)
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.AWAITING_ANSWER
