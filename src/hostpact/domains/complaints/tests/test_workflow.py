"""A privacy complaint's case: filing rules, the customer's assurances, the abuse desk's
decision and the enforcement after a deadline or a rejection (policy 4.8)."""

import pytest
from django.db import connection

from hostpact.core import clock, crypto
from hostpact.core.models import AuditEntry, OutboxMessage, Subject
from hostpact.domains import services as domains
from hostpact.domains.complaints import services
from hostpact.domains.complaints.models import Complaint, ComplaintAnswer, ComplaintStep
from hostpact.domains.complaints.tasks import enforce_complaints
from hostpact.domains.complaints.tests.helpers import DUE, FILED, at, file, private_domain
from hostpact.domains.models import DomainContact
from hostpact.domains.registry import connector
from hostpact.domains.services.holds import COMPLAINT
from hostpact.domains.tests.helpers import register
from hostpact.privacy.disclosures.models import Disclosure

pytestmark = pytest.mark.django_db


@pytest.fixture
def domain(subscriber):
    with clock.freeze(FILED):
        return private_domain(subscriber)


@pytest.fixture
def complaint(domain):
    with clock.freeze(FILED):
        return file(domain)


def mail_to(address: str) -> list[OutboxMessage]:
    """The complaint mail sent to ``address``, oldest first."""
    return [m for m in OutboxMessage.objects.order_by("pk")
            if m.to_addr == address and m.subject_line.startswith("[Complaint")]


def answer(complaint, **overrides):
    kwargs = {"statement": "I phoned Meera on 3 March and emailed her my address and phone.",
              "indemnity": True, "actor": "subscriber:test"}
    kwargs.update(overrides)
    return services.answer_complaint(complaint, **kwargs)


def registrant_disclosures(domain):
    registrant = DomainContact.objects.get(domain=domain, role="registrant").contact
    return Disclosure.objects.filter(recipient__slug="complainant",
                                     links__subject_id=registrant.contact_subject_id)


@pytest.mark.commitment("C22")
def test_the_complainants_contact_reaches_the_holder_as_a_recorded_disclosure(complaint):
    """The complaint mailed to the domain's holder carries the complainant's contact: that is
    one disclosure to the domain-holder recipient, about the complainant, of the contact
    categories given, under policy 4.8."""
    disclosure = Disclosure.objects.get(recipient__slug="domain-holder")
    assert list(disclosure.links.values_list("subject_id", flat=True)) == [complaint.subject_id]
    assert {"user.name", "user.contact.email"} <= set(disclosure.categories)
    assert "4.8" in disclosure.legal_basis
    assert disclosure.reference == f"complaint:{complaint.pk}"


def test_no_complaint_is_mailed_when_the_holder_may_not_receive_the_contact(domain):
    """With the domain-holder recipient deactivated, filing is refused and nothing is kept or
    mailed: the complainant's contact never reaches the holder unrecorded."""
    from hostpact.privacy.disclosures.models import Recipient

    Recipient.objects.filter(slug="domain-holder").update(active=False)
    with clock.freeze(FILED), pytest.raises(services.ComplaintRefused, match="abuse@"):
        file(domain)
    assert not Complaint.objects.exists()
    assert not [m for m in OutboxMessage.objects.all()
                if m.subject_line.startswith("[Complaint")]


@pytest.mark.commitment("C29")
def test_filing_asks_the_customer_for_both_assurances_by_ten_indian_business_days(
        complaint, domain, subscriber):
    """Filing asks the customer, by mail, for the indemnity and written confirmation of the
    contact by 10 business days on India's calendar (Holi skipped), and acknowledges it to the
    complainant; the complainant is a subject of their own with encrypted data."""
    assert complaint.due_on == DUE
    assert complaint.state == Complaint.State.AWAITING_ANSWER
    [to_customer] = mail_to(subscriber.email)
    assert "indemnify" in to_customer.body and "contacted the complainant" in to_customer.body
    assert "17 March 2026" in to_customer.body
    assert "legal@brand-owner.example" in to_customer.body  # so the customer can contact them
    [ack] = mail_to("legal@brand-owner.example")
    assert domain.name in ack.subject_line
    assert complaint.subject.kind == Subject.Kind.INQUIRER
    with connection.cursor() as cur:
        cur.execute("SELECT name, email, grounds FROM domain_complaints_complaint")
        [raw] = cur.fetchall()
    assert all(v.startswith(crypto.PREFIX) for v in raw)
    assert "Meera" not in "".join(raw)
    assert list(complaint.steps.values_list("kind", flat=True)) == ["filed"]
    assert AuditEntry.objects.filter(action="domain_complaints.file").exists()


@pytest.mark.parametrize("case", ["no_privacy", "unknown_domain", "invalid_name",
                                  "already_open"])
def test_a_complaint_that_breaks_a_rule_is_refused_and_nothing_is_stored(subscriber, case):
    """A domain without privacy, an unknown or malformed name, or a domain with an open case
    gets a clear refusal naming the domain field; nothing is stored or mailed."""
    name = {"no_privacy": lambda: register(subscriber).name,
            "unknown_domain": lambda: "nobody-has-this.test",
            "invalid_name": lambda: "not a domain!",
            "already_open": lambda: file(private_domain(subscriber)).domain.name}[case]()
    complaints, mails = Complaint.objects.count(), OutboxMessage.objects.count()
    subjects = Subject.objects.count()
    with pytest.raises(services.ComplaintRefused) as refused:
        services.file_complaint(domain=name, name="Someone", email="someone@example.test",
                                grounds="A long enough description of the grounds.")
    assert refused.value.field == "domain"
    assert refused.value.code == case
    assert str(refused.value)
    assert (Complaint.objects.count(), OutboxMessage.objects.count(),
            Subject.objects.count()) == (complaints, mails, subjects)


def test_the_deadline_passes_only_after_the_last_business_day(complaint, domain):
    """On the due day the task leaves the case alone; the day after, it enforces it."""
    with clock.freeze(at(DUE, 12)):
        assert enforce_complaints.call() == 0
    domain.refresh_from_db()
    assert "clientHold" not in domain.statuses
    with clock.freeze(at(DUE.replace(day=18))):
        assert enforce_complaints.call() == 1


@pytest.mark.commitment("C29")
def test_an_unanswered_complaint_deactivates_the_domain_and_discloses_the_contact(
        complaint, domain):
    """Past the deadline without assurances the task puts the domain on clientHold (here and
    at the registry), discloses the registrant contact to the complainant through the gate
    under the registration agreement, and mails it to the complainant."""
    registrant = DomainContact.objects.get(domain=domain, role="registrant").contact
    with clock.freeze(at(DUE.replace(day=18))):
        enforce_complaints.call()
    domain.refresh_from_db()
    assert "clientHold" in domain.statuses and COMPLAINT in domain.hold_reasons
    assert "clientHold" in connector().info(domain.name).statuses
    [disclosure] = registrant_disclosures(domain)
    assert disclosure.recipient.kind == "complainant"
    assert "Registration agreement" in disclosure.legal_basis
    assert "user.name" in disclosure.categories and "user.contact.email" in disclosure.categories
    last = mail_to("legal@brand-owner.example")[-1]
    assert registrant.name in last.body and registrant.email in last.body
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.ENFORCED
    assert list(complaint.steps.values_list("kind", flat=True)) == [
        "filed", "expired", "enforced"]


def test_enforcement_is_idempotent(complaint, domain):
    """Running the task again changes nothing: one hold, one disclosure, one contact mail."""
    with clock.freeze(at(DUE.replace(day=18))):
        enforce_complaints.call()
        mails = OutboxMessage.objects.count()
        assert enforce_complaints.call() == 0
        services.enforce_complaint(complaint)
    assert registrant_disclosures(domain).count() == 1
    assert OutboxMessage.objects.count() == mails
    assert complaint.steps.filter(kind=ComplaintStep.Kind.ENFORCED).count() == 1


@pytest.mark.commitment("C29")
def test_accepted_assurances_close_the_case_without_disclosure(complaint, domain, subscriber):
    """Assurances given in time and accepted close the case: no hold, no disclosure, even after
    the deadline; the customer and the complainant are told at each step."""
    with clock.freeze(at(DUE)):
        answer(complaint)
        services.accept_answer(complaint, actor="staff:1")
    with clock.freeze(at(DUE.replace(day=25))):
        assert enforce_complaints.call() == 0
    domain.refresh_from_db()
    assert "clientHold" not in domain.statuses
    assert not registrant_disclosures(domain).exists()
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.CLOSED and complaint.answer.indemnity_accepted
    assert list(complaint.steps.values_list("kind", flat=True)) == [
        "filed", "answered", "accepted"]
    assert len(mail_to("legal@brand-owner.example")) == 3
    assert len(mail_to(subscriber.email)) == 2


@pytest.mark.commitment("C29")
def test_rejected_assurances_lead_to_deactivation_and_disclosure(complaint, domain):
    """Rejected assurances are enforced by the next run, before the deadline too."""
    with clock.freeze(at(DUE.replace(day=5))):
        answer(complaint)
        services.reject_answer(complaint, actor="staff:1")
        assert enforce_complaints.call() == 1
    domain.refresh_from_db()
    assert COMPLAINT in domain.hold_reasons
    assert registrant_disclosures(domain).count() == 1


@pytest.mark.parametrize("overrides, field", [
    ({"statement": "short"}, "statement"),
    ({"indemnity": False}, "indemnity"),
    ({"evidence": b"MZ\x90\x00binary", "evidence_name": "x.exe"}, "evidence"),
    ({"evidence": b"%PDF-" + b"0" * (5 * 1024 * 1024), "evidence_name": "big.pdf"}, "evidence"),
])
def test_incomplete_assurances_are_refused(complaint, overrides, field):
    """A short statement, no indemnity, or a bad or oversized proof is refused; the case
    still awaits the answer."""
    with clock.freeze(at(DUE)), pytest.raises(services.ComplaintRefused) as refused:
        answer(complaint, **overrides)
    assert refused.value.field == field
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.AWAITING_ANSWER
    assert complaint.given_answer is None and not ComplaintAnswer.objects.exists()


def test_assurances_after_the_deadline_or_twice_are_refused(complaint):
    """An answer after the due day, or a second answer, is refused."""
    with clock.freeze(at(DUE.replace(day=18))), pytest.raises(services.ComplaintRefused):
        answer(complaint)
    with clock.freeze(at(DUE)):
        answer(complaint, evidence=b"Call log: 3 March 10:15, 12 minutes.",
               evidence_name="log.txt")
        with pytest.raises(services.ComplaintRefused):
            answer(complaint)
    complaint.refresh_from_db()
    assert complaint.answer.evidence_type == "text/plain"


def test_only_an_answered_case_can_be_decided(complaint):
    """Accepting or rejecting a case that awaits the answer is refused."""
    with pytest.raises(services.ComplaintRefused):
        services.accept_answer(complaint, actor="staff:1")
    with pytest.raises(services.ComplaintRefused):
        services.reject_answer(complaint, actor="staff:1")


def test_a_closed_case_allows_a_new_complaint(complaint, domain):
    """Once a case is closed, a new complaint about the domain can be filed."""
    with clock.freeze(at(DUE)):
        answer(complaint)
        services.accept_answer(complaint, actor="staff:1")
        assert file(domain, email="other@brand-owner.example").pk != complaint.pk


def test_privacy_switched_off_makes_the_domain_ineligible(domain, subscriber):
    """A domain whose privacy was switched off takes no complaint by this channel."""
    domains.set_privacy(domain, False, actor="system:test")
    with pytest.raises(services.ComplaintRefused):
        file(domain)


def test_a_case_the_gate_refuses_waits_and_the_others_are_enforced(subscriber, complaint):
    """When the complainant recipient is inactive, that case stays open for the next run (no
    hold kept), and the run does not fail."""
    from hostpact.privacy.disclosures.models import Recipient

    Recipient.objects.filter(slug="complainant").update(active=False)
    with clock.freeze(at(DUE.replace(day=18))):
        assert enforce_complaints.call() == 0
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.AWAITING_ANSWER
    complaint.domain.refresh_from_db()
    assert "clientHold" not in complaint.domain.statuses
    Recipient.objects.filter(slug="complainant").update(active=True)
    with clock.freeze(at(DUE.replace(day=19))):
        assert enforce_complaints.call() == 1
