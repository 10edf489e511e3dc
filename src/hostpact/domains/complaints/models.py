"""Complaints about privacy-protected domains (policy 4.8, C29), and each step of their case.

A complaint is filed by a third party (or by the abuse desk for one) about a domain whose
privacy service is on. The complainant is a data subject of their own (``core.Subject`` of kind
``inquirer``, like anyone who writes to us): their identity and grounds are encrypted under
``subject``. The customer's answer (statement, indemnity, evidence) is the subscriber's own
data, so it is a row of its own, ``ComplaintAnswer``, whose ``subject`` is the subscriber: the
export and "My information" find a subject's rows by their ``subject``, and a person's data is
encrypted under their own key. Both are kept with the domain's registration records (retention
class ``registration``): a complaint is evidence of why a domain was held and why a contact was
disclosed, for the dispute the disclosure makes possible.

``ComplaintStep`` is the case's timeline, shown to the customer with the date of each step; it
holds no personal value.
"""

from django.db import models

from hostpact.core.fields import EncryptedTextField
from hostpact.core.models import Subject

REGISTRATION = "registration"


def _encrypted(**kwargs) -> EncryptedTextField:
    """Return a field encrypted under its row's own ``subject``, kept as registration data."""
    return EncryptedTextField(retention_class=REGISTRATION, subject_attr="subject_id", **kwargs)


class Complaint(models.Model):
    """A complaint about a privacy-protected domain, as the complainant made it."""

    class State(models.TextChoices):
        AWAITING_ANSWER = "awaiting_answer", "Awaiting the customer's assurances"
        ANSWERED = "answered", "Assurances under review"
        CLOSED = "closed", "Assurances accepted, case closed"
        REJECTED = "rejected", "Assurances rejected"
        ENFORCED = "enforced", "Domain deactivated, contact disclosed to the complainant"

    OPEN_STATES = (State.AWAITING_ANSWER, State.ANSWERED, State.REJECTED)

    domain = models.ForeignKey("domains.Domain", on_delete=models.PROTECT,
                               related_name="complaints")
    # Who is asked for the assurances: the case locks and audits under this subject, and the
    # answer is filed under it.
    owner_subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+",
                                      help_text="The domain's subscriber when it was filed.")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+",
                                help_text="The complainant's own data subject.")
    name = _encrypted()
    organization = _encrypted()
    email = _encrypted()
    phone = _encrypted()
    address = _encrypted()
    grounds = _encrypted()
    reference = _encrypted(help_text="The complainant's reference (a case or mark number).")
    filed_by = models.CharField(max_length=64, help_text="anonymous, or the staff member.")
    filed_at = models.DateTimeField()
    due_on = models.DateField(help_text="Last business day for the customer's assurances.")
    state = models.CharField(max_length=20, choices=State.choices,
                             default=State.AWAITING_ANSWER, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=64, blank=True)
    enforced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        constraints = [models.UniqueConstraint(
            fields=["domain"], condition=models.Q(state__in=[
                "awaiting_answer", "answered", "rejected"]),
            name="one_open_complaint_per_domain")]

    def __str__(self):
        return f"complaint {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def given_answer(self) -> "ComplaintAnswer | None":
        """The customer's answer, or None while none was given."""
        return getattr(self, "answer", None)


class ComplaintAnswer(models.Model):
    """The customer's assurances for a complaint: their data, under their own subject."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="answer")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+",
                                help_text="The customer's data subject: the domain's subscriber.")
    statement = _encrypted(help_text="The customer's written confirmation.")
    indemnity_accepted = models.BooleanField(default=False)
    evidence_name = _encrypted()
    evidence_type = models.CharField(max_length=40, blank=True)
    evidence = _encrypted(help_text="The uploaded proof, base64.")
    answered_at = models.DateTimeField()

    class Meta:
        verbose_name = "answer to a complaint about your domain"

    def __str__(self):
        return f"answer to complaint {self.complaint_id}"


class ComplaintStep(models.Model):
    """One step of a case, with its date: what the customer and the complainant are told."""

    class Kind(models.TextChoices):
        FILED = "filed", "Complaint received; assurances requested"
        ANSWERED = "answered", "Assurances given by the customer"
        ACCEPTED = "accepted", "Assurances accepted; case closed"
        REJECTED = "rejected", "Assurances rejected"
        EXPIRED = "expired", "Deadline passed without assurances"
        ENFORCED = "enforced", "Domain deactivated; contact disclosed to the complainant"

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField()
    actor = models.CharField(max_length=64)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.kind} of complaint {self.complaint_id}"
