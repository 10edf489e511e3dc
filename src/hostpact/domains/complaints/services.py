"""The steps of a privacy complaint (policy 4.8, C29), each a service with its audit event.

``file_complaint`` takes a complaint about a domain whose privacy service is on, asks the
customer for the assurances (indemnity, and written confirmation that they contacted the
complainant and gave them their contact information) by a deadline in business days on India's
calendar, and acknowledges it to the complainant. The customer answers (``answer_complaint``);
the abuse desk accepts (case closed) or rejects the answer. ``enforce_complaint`` is what
follows a rejected answer or a deadline passed unanswered: the domain goes on clientHold, the
registrant contact is disclosed to the complainant through the disclosures gate (the
registration agreement is the basis) and mailed to them. ``enforce_due_complaints`` is the
periodic task's body; a case is enforced once, whatever the number of runs.
"""

import base64
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from hostpact.core import audit, clock
from hostpact.core.calendar import business_days_after
from hostpact.core.mail import queue_mail
from hostpact.core.models import Subject
from hostpact.core.subjects import create_subject
from hostpact.domains.complaints.models import Complaint, ComplaintAnswer, ComplaintStep
from hostpact.domains.models import Domain, DomainContact
from hostpact.domains.names import NameRefused, parse_domain
from hostpact.domains.services.common import DomainError
from hostpact.domains.services.contacts import contact_data
from hostpact.domains.services.holds import COMPLAINT, add_hold
from hostpact.privacy.disclosures.services import DisclosureRefused, disclose
from hostpact.privacy.rights.guard import lock_subject_for_write

log = logging.getLogger(__name__)

RECIPIENT = "complainant"
PURPOSE = "third_party_sharing.legal_obligation"
MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
# What an upload may be, told by its first bytes rather than by what the browser claims.
SIGNATURES = (("application/pdf", b"%PDF-"), ("image/png", b"\x89PNG\r\n\x1a\n"),
              ("image/jpeg", b"\xff\xd8\xff"))
COMPLAINANT_FIELDS = ("name", "organization", "email", "phone", "address", "grounds",
                      "reference")


class ComplaintRefused(Exception):
    """A complaint step was refused; ``field`` names what is wrong. Nothing was changed."""

    def __init__(self, message: str, field: str = "", code: str = "invalid"):
        super().__init__(message)
        self.field, self.code = field, code


def evidence_type(data: bytes) -> str:
    """Return the media type of an upload (PDF, PNG, JPEG or UTF-8 text) or raise
    ``ComplaintRefused``."""
    if not data:
        raise ComplaintRefused("The file is empty.", "evidence", "empty")
    if len(data) > MAX_EVIDENCE_BYTES:
        raise ComplaintRefused("The file is larger than 5 MB.", "evidence", "too_large")
    for media_type, signature in SIGNATURES:
        if data.startswith(signature):
            return media_type
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        raise ComplaintRefused("Upload a PDF, PNG, JPEG or plain text file.", "evidence",
                               "file_type")
    return "text/plain"


HOLDER = "domain-holder"  # the recipient of the complainant's contact (standing recipients)
COMPLAINANT_CONTACT = ("name", "organization", "email", "phone", "address")


def _step(complaint: Complaint, kind: str, actor: str) -> None:
    ComplaintStep.objects.create(complaint=complaint, kind=kind, at=clock.now(), actor=actor)


def _link(complaint: Complaint) -> str:
    return settings.SITE_URL + reverse("domain_complaints:answer", args=[complaint.pk])


def _mail_complainant(complaint: Complaint, subject_line: str, body: str) -> None:
    queue_mail(complaint.subject_id, complaint.email,
               f"[Complaint C-{complaint.pk}] {subject_line}",
               f"Hello {complaint.name},\n\n{body}\n\nhostpact domain privacy service\n")


def _mail_customer(complaint: Complaint, subject_line: str, body: str) -> None:
    user = complaint.domain.user
    queue_mail(user.subject_id, user.email, f"[Complaint C-{complaint.pk}] {subject_line}",
               f"Hello,\n\n{body}\n\nSee the case and each step: {_link(complaint)}\n\n"
               f"hostpact domain privacy service\n")


def _disclose_complainant(complaint: Complaint, actor: str) -> None:
    """Record that the complainant's contact goes to the domain's holder with the complaint
    (policy 4.8: the holder is asked to contact them). If the gate refuses, the complaint is
    refused: nothing is kept or mailed."""
    from hostpact.privacy import registry

    fields = registry.for_model(Complaint).fields
    categories = [fields[f].category for f in COMPLAINANT_CONTACT if getattr(complaint, f)]
    try:
        disclose(HOLDER, [complaint.subject_id], categories, "essential.legal_obligation",
                 "Privacy policy 4.8: a complaint about a privacy-protected domain goes to "
                 "its holder with the complainant's contact, so that the holder can answer it",
                 actor=actor, reference=f"complaint:{complaint.pk}")
    except DisclosureRefused:
        raise ComplaintRefused(
            "We cannot pass complaints to domain holders at the moment; please write to "
            f"{settings.REGISTRAR['abuse_email']}.", "", "unavailable") from None


def _open_domain(domain_name: str) -> Domain:
    try:
        name = parse_domain(domain_name)
    except NameRefused as exc:
        raise ComplaintRefused(str(exc), "domain", "invalid_name") from None
    domain = Domain.objects.filter(name=name.ascii, state=Domain.State.ACTIVE).first()
    if domain is None:
        raise ComplaintRefused(f"{name.unicode} is not a domain registered with us.",
                               "domain", "unknown_domain")
    if not domain.privacy:
        raise ComplaintRefused(
            f"{name.unicode} does not use our privacy service: its registrant is shown in "
            f"WHOIS or can be asked for through our abuse desk, not by this form.",
            "domain", "no_privacy")
    return domain


@transaction.atomic
def file_complaint(*, domain: str, name: str, email: str, grounds: str, organization="",
                   phone="", address="", reference="", actor: str = "anonymous") -> Complaint:
    """Record a complaint about the privacy-protected ``domain``, ask its customer for the
    assurances by the deadline and acknowledge it to the complainant."""
    found = _open_domain(domain)
    lock_subject_for_write(found.subject_id)
    if Complaint.objects.filter(domain=found, state__in=Complaint.OPEN_STATES).exists():
        raise ComplaintRefused(f"A complaint about {found.name} is already open; its "
                               f"complainant is kept informed.", "domain", "already_open")
    now = clock.now()
    days = settings.DOMAIN_COMPLAINT_ANSWER_DAYS
    due_on = business_days_after(clock.today(), days, "IN")
    values = {"name": name, "organization": organization, "email": email, "phone": phone,
              "address": address, "grounds": grounds, "reference": reference}
    try:
        with transaction.atomic():
            complaint = Complaint.objects.create(
                domain=found, owner_subject_id=found.subject_id,
                subject=create_subject(Subject.Kind.INQUIRER), filed_by=actor[:64],
                filed_at=now, due_on=due_on, **{k: (v or "").strip() for k, v in values.items()})
    except IntegrityError:  # a second complaint filed at the same moment
        raise ComplaintRefused(f"A complaint about {found.name} is already open.", "domain",
                               "already_open") from None
    _step(complaint, ComplaintStep.Kind.FILED, actor)
    who = complaint.name + (f" ({complaint.organization})" if complaint.organization else "")
    contact = "\n".join(f"  {label}: {value}" for label, value in (
        ("Name", who), ("Email", complaint.email), ("Phone", complaint.phone),
        ("Address", complaint.address)) if value)
    _disclose_complainant(complaint, actor)
    _mail_customer(complaint, f"Complaint about {found.name}: your assurances are needed", (
        f"we received a complaint about {found.name}, which uses our domain privacy service.\n"
        f"Grounds: {complaint.grounds}\n\nThe complainant:\n{contact}\n\n"
        f"Under our privacy policy (4.8) and your registration agreement, please give us by "
        f"{due_on:%d %B %Y} ({days} business days):\n"
        f"  (a) your acceptance to indemnify hostpact, and\n"
        f"  (b) your written confirmation that you contacted the complainant and made your "
        f"contact information available to them.\n\n"
        f"Without these assurances by then, the domain will be deactivated and your contact "
        f"information disclosed to the complainant."))
    _mail_complainant(complaint, f"We received your complaint about {found.name}", (
        f"we received your complaint about {found.name} (reference C-{complaint.pk}). We asked "
        f"the domain's holder to contact you and to give us their assurances by "
        f"{due_on:%d %B %Y}. We will write to you at each step."))
    audit.record(actor, "domain_complaints.file", complaint.subject_id,
                 [k for k, v in values.items() if v], f"complaint:{complaint.pk}")
    audit.record(actor, "domain_complaints.notify_customer", found.subject_id, ["due_on"],
                 f"complaint:{complaint.pk}")
    log.info("complaint %s filed about domain %s", complaint.pk, found.pk)
    return complaint


def _locked(complaint: Complaint) -> Complaint:
    lock_subject_for_write(complaint.owner_subject_id)
    return Complaint.objects.select_for_update().select_related("domain__user").get(
        pk=complaint.pk)


@transaction.atomic
def answer_complaint(complaint: Complaint, *, statement: str, indemnity: bool,
                     evidence: bytes | None = None, evidence_name: str = "",
                     actor: str) -> Complaint:
    """Record the customer's assurances (statement, indemnity, optional proof) for review,
    under the subscriber's own subject."""
    complaint = _locked(complaint)
    if complaint.state != Complaint.State.AWAITING_ANSWER:
        raise ComplaintRefused("This complaint is not awaiting your answer.", "", "not_open")
    if clock.today() > complaint.due_on:
        raise ComplaintRefused(f"The deadline ({complaint.due_on:%d %B %Y}) has passed.", "",
                               "past_due")
    statement = (statement or "").strip()
    if len(statement) < 20:
        raise ComplaintRefused("Write how and when you contacted the complainant (at least "
                               "20 characters).", "statement", "statement")
    if indemnity is not True:
        raise ComplaintRefused("Accept to indemnify hostpact to give your assurances.",
                               "indemnity", "indemnity")
    answer = ComplaintAnswer(complaint=complaint, subject_id=complaint.owner_subject_id,
                             statement=statement, indemnity_accepted=True,
                             answered_at=clock.now())
    if evidence is not None:
        answer.evidence_type = evidence_type(evidence)
        answer.evidence = base64.b64encode(evidence).decode()
        answer.evidence_name = (evidence_name or "proof")[-120:]
    answer.save()
    complaint.state = Complaint.State.ANSWERED
    complaint.save(update_fields=["state"])
    _step(complaint, ComplaintStep.Kind.ANSWERED, actor)
    _mail_complainant(complaint, f"The holder of {complaint.domain.name} answered", (
        "the domain's holder gave us their assurances and says they contacted you. Our abuse "
        "desk is reviewing them; we will write to you with the outcome."))
    audit.record(actor, "domain_complaints.answer", answer.subject_id,
                 ["statement", "indemnity_accepted", *(["evidence"] if evidence else [])],
                 f"complaint:{complaint.pk}")
    return complaint


def _decide(complaint: Complaint, accept: bool, actor: str) -> Complaint:
    complaint = _locked(complaint)
    if complaint.state != Complaint.State.ANSWERED:
        raise ComplaintRefused("Only an answered complaint can be accepted or rejected.", "",
                               "not_answered")
    complaint.state = Complaint.State.CLOSED if accept else Complaint.State.REJECTED
    complaint.decided_at, complaint.decided_by = clock.now(), actor[:64]
    complaint.save(update_fields=["state", "decided_at", "decided_by"])
    _step(complaint, ComplaintStep.Kind.ACCEPTED if accept else ComplaintStep.Kind.REJECTED,
          actor)
    name = complaint.domain.name
    if accept:
        _mail_customer(complaint, f"Complaint about {name} closed",
                       "we accepted your assurances; the case is closed.")
        _mail_complainant(complaint, f"Your complaint about {name} is closed", (
            "we accepted the domain holder's assurances; they are in contact with you, and "
            "further questions are between you and them."))
    else:
        _mail_customer(complaint, f"Complaint about {name}: assurances rejected", (
            "we could not accept your assurances. The domain will be deactivated and your "
            "contact information disclosed to the complainant."))
        _mail_complainant(complaint, f"Your complaint about {name}", (
            "we did not accept the domain holder's assurances; we will send you their contact "
            "information shortly."))
    audit.record(actor, "domain_complaints.accept" if accept else "domain_complaints.reject",
                 complaint.owner_subject_id, ["state"], f"complaint:{complaint.pk}")
    return complaint


@transaction.atomic
def accept_answer(complaint: Complaint, *, actor: str) -> Complaint:
    """Accept the customer's assurances: the case is closed and nothing is disclosed."""
    return _decide(complaint, True, actor)


@transaction.atomic
def reject_answer(complaint: Complaint, *, actor: str) -> Complaint:
    """Reject the customer's assurances: the next enforcement run deactivates the domain."""
    return _decide(complaint, False, actor)


def is_enforceable(complaint: Complaint) -> bool:
    """True if the answer was rejected, or the deadline passed without one."""
    return complaint.state == Complaint.State.REJECTED or (
        complaint.state == Complaint.State.AWAITING_ANSWER and clock.today() > complaint.due_on)


@transaction.atomic
def enforce_complaint(complaint: Complaint, *, actor: str = "system:complaints") -> Complaint:
    """Deactivate the domain (clientHold) and disclose its registrant contact to the
    complainant, through the gate, by mail; a case not enforceable is left as it is."""
    complaint = _locked(complaint)
    if not is_enforceable(complaint):
        return complaint
    domain = complaint.domain
    if complaint.state == Complaint.State.AWAITING_ANSWER:
        _step(complaint, ComplaintStep.Kind.EXPIRED, actor)
    add_hold(domain, COMPLAINT, actor=actor)
    role = DomainContact.objects.select_related("contact").get(
        domain=domain, role=DomainContact.Role.REGISTRANT)
    data = contact_data(role.contact)
    disclose(RECIPIENT, [role.contact.contact_subject_id, domain.subject_id], data.categories(),
             PURPOSE, f"Registration agreement and privacy policy 4.8: assurances for "
             f"complaint C-{complaint.pk} were not given", actor=actor,
             reference=f"complaint:{complaint.pk}")
    labels = {"name": "Name", "organization": "Organisation", "email": "Email",
              "phone": "Phone", "line1": "Address", "line2": "Address", "city": "City",
              "region": "State or region", "postal_code": "Postal code", "country": "Country"}
    lines = "\n".join(f"  {labels[k]}: {v}" for k, v in data.fields.items())
    _mail_complainant(complaint, f"Registrant contact of {domain.name}", (
        f"the holder of {domain.name} did not give the assurances our privacy policy (4.8) "
        f"asks for. The domain has been deactivated, and so that your allegations can be "
        f"resolved directly with its registrant, here is their contact information:\n{lines}"))
    _mail_customer(complaint, f"{domain.name} deactivated", (
        f"without accepted assurances for the complaint about {domain.name}, the domain has "
        f"been deactivated (clientHold) and your registrant contact information disclosed to "
        f"the complainant."))
    complaint.state, complaint.enforced_at = Complaint.State.ENFORCED, clock.now()
    complaint.save(update_fields=["state", "enforced_at"])
    _step(complaint, ComplaintStep.Kind.ENFORCED, actor)
    audit.record(actor, "domain_complaints.enforce", complaint.owner_subject_id,
                 ["state", "enforced_at"], f"complaint:{complaint.pk}")
    log.info("complaint %s enforced: domain %s held", complaint.pk, domain.pk)
    return complaint


def enforce_due_complaints() -> int:
    """Enforce every complaint rejected or past its deadline; return how many."""
    today = clock.today()
    due = Complaint.objects.filter(state=Complaint.State.REJECTED) | Complaint.objects.filter(
        state=Complaint.State.AWAITING_ANSWER, due_on__lt=today)
    done = 0
    for complaint in due.order_by("pk"):
        try:
            enforced = enforce_complaint(complaint)
        except (DomainError, DisclosureRefused) as exc:
            # One case the registry or the gate refused waits for the next run; the others
            # go ahead. Nothing of the refused case was kept (its transaction rolled back).
            log.warning("complaint %s not enforced: %s", complaint.pk, getattr(exc, "code", ""))
            continue
        if enforced.state == Complaint.State.ENFORCED:
            done += 1
    return done
