"""Records of the rights engine: erasure jobs, tombstones, children's reports, legal holds.

None of these rows holds a personal value. An ``ErasureJob`` names its subject by id only (a
random UUID whose data keys the job destroys), lists the steps done so a killed run resumes, and
what was kept under which legal basis until when. A ``Tombstone`` records that an erasure
happened with no link to anyone. ``KeyExpiry`` is the date a kept retention class's key goes
(the tax key after the tax period); the retention run shreds it then. A ``LegalHold`` keeps
a subject (its erasure waits) or one record from erasure and purging; an erasure moves a held
record under the hold's own key (``key_subject``), which the retention run shreds once the hold
is over.
"""

import secrets
import uuid

from django.db import models

from hostpact.core.models import Subject


def _status_token() -> str:
    return secrets.token_urlsafe(32)  # 32 random bytes: a status URL cannot be guessed


class ErasureJob(models.Model):
    """One subject's erasure, step by step; running it again resumes where it stopped."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "Erasing"
        HELD = "held", "Paused by a legal hold"
        FAILED = "failed", "Interrupted (will resume)"
        DONE = "done", "Done"

    class Reason(models.TextChoices):
        SUBSCRIBER = "subscriber_request", "The subscriber asked"
        SUPPORT = "support_request", "A verified request through support"
        CHILD = "child_account", "The account is a child's"
        STAFF = "staff", "Staff decision"
        RESELLER = "reseller_request", "The reseller controlling the data asked"

    request_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status_token = models.CharField(max_length=64, unique=True, default=_status_token,
                                    editable=False)
    subject = models.OneToOneField(Subject, on_delete=models.PROTECT, related_name="erasure")
    reason = models.CharField(max_length=24, choices=Reason.choices)
    actor = models.CharField(max_length=64)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING,
                             db_index=True)
    steps_done = models.JSONField(default=list)
    counts = models.JSONField(default=dict)
    kept = models.JSONField(default=list)
    hold_reason = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    remnants_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"erasure {self.request_id} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state == self.State.DONE


class Tombstone(models.Model):
    """That an erasure happened: a random id, the date and counts, and nothing about whom."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    erased_on = models.DateField()
    reason = models.CharField(max_length=24, choices=ErasureJob.Reason.choices)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-erased_on"]

    def __str__(self):
        return f"tombstone {self.id}"


class KeyExpiry(models.Model):
    """The date a kept retention class's data key of an erased subject is to be shredded."""

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    retention_class = models.CharField(max_length=32)
    due_at = models.DateTimeField(db_index=True)
    shredded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subject", "retention_class"],
                                               name="one_expiry_per_key")]

    def __str__(self):
        return f"{self.retention_class} key of {self.subject_id} due {self.due_at:%Y-%m-%d}"


class ChildReport(models.Model):
    """What was done when staff found that an account was a child's (C34)."""

    job = models.OneToOneField(ErasureJob, on_delete=models.PROTECT, related_name="child_report")
    flagged_by = models.CharField(max_length=64)
    flagged_at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True,
                            help_text="A reference for staff, such as the support request "
                                      "number; never the child's details.")

    class Meta:
        ordering = ["-flagged_at"]

    def __str__(self):
        return f"child account report {self.pk}"


class LegalHold(models.Model):
    """Keeps a subject's data, or one record, from erasure and purging while it is in force.

    When its record's person is erased, the record's encrypted columns move under the key of
    ``key_subject`` (a subject of kind ``legal_hold``, shared by every hold on that record), so
    only that key, shredded after the hold, decides when the record goes.
    """

    class Reason(models.TextChoices):
        DISPUTE = "dispute", "A dispute"
        LEGAL_OBLIGATION = "legal_obligation", "A legal obligation"
        AGREEMENT = "agreement_enforcement", "Enforcement of an agreement"

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    record_model = models.CharField(max_length=100, blank=True,
                                    help_text="app_label.model of a single held record")
    record_pk = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=24, choices=Reason.choices)
    reference = models.CharField(max_length=100, blank=True,
                                 help_text="A case or matter reference; no personal details.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True,
                                   help_text="Empty: until released.")
    released_at = models.DateTimeField(null=True, blank=True)
    created_by = models.CharField(max_length=64)
    role = models.CharField(max_length=32, default="compliance",
                            help_text="The role under which it was placed, shown to the "
                                      "subscriber.")
    created_at = models.DateTimeField()
    key_subject = models.ForeignKey(Subject, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", editable=False)
    key_shredded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-starts_at", "-id"]

    def __str__(self):
        what = f"{self.record_model}:{self.record_pk}" if self.record_model else "subject"
        return f"hold {self.pk} on {what} ({self.reason})"

    def active_at(self, moment) -> bool:
        return (self.released_at is None and self.starts_at <= moment
                and (self.ends_at is None or self.ends_at > moment))
