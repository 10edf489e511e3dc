"""Data-subject requests taken by support (letter, email, phone, chat), and their life cycle.

A request names the subscriber it concerns by foreign key only; what the person told us (the
notes), the staff's outcome note and an objected data use are encrypted under the subscriber's
key, so an erasure shreds them too while the bare record (kind, dates, states) stays as proof
that the request was answered in time. The one-time code is kept only as a keyed hash.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models

from hostpact.core import clock
from hostpact.core.fields import EncryptedTextField
from hostpact.core.models import Subject

REMINDER_DAYS = (7, 1)  # days before the due date the assignee is reminded
CODE_LIFE = timedelta(minutes=10)
MAX_CODE_TRIES = 3


class DataSubjectRequest(models.Model):
    """A right exercised through support: access, correction, erasure or objection."""

    class Channel(models.TextChoices):
        EMAIL = "email"
        PHONE = "phone"
        CHAT = "chat"
        LETTER = "letter"

    class Kind(models.TextChoices):
        ACCESS = "access"
        CORRECTION = "correction"
        ERASURE = "erasure"
        OBJECTION = "objection"

    class Status(models.TextChoices):
        RECEIVED = "received"
        IDENTITY_UNVERIFIED = "identity_unverified", "identity unverified (code sent)"
        VERIFIED = "verified"
        IN_PROGRESS = "in_progress", "in progress"
        COMPLETED = "completed"
        DENIED = "denied"

    class CodeVia(models.TextChoices):
        EMAIL = "email", "email on file"
        PHONE = "phone", "phone on file"

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="data_requests")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    notes = EncryptedTextField()
    received_at = models.DateTimeField()
    due_on = models.DateField(db_index=True)
    recorded_by = models.CharField(max_length=64)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="assigned_requests")
    # identity verification
    code_via = models.CharField(max_length=8, choices=CodeVia.choices, blank=True)
    code_hash = models.CharField(max_length=64, blank=True)
    code_sent_at = models.DateTimeField(null=True, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_tries = models.PositiveSmallIntegerField(default=0)
    code_verified_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    attested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    attested_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    # work and outcome
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome_note = EncryptedTextField()
    corrected_fields = models.JSONField(default=list, blank=True)
    objected_use = EncryptedTextField()
    export_ready_at = models.DateTimeField(null=True, blank=True)
    erasure_ref = models.CharField(max_length=64, blank=True)
    reminders_sent = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = "data-subject request"

    def __str__(self):
        return f"DSR-{self.pk:06d}" if self.pk else "new request"

    @property
    def reference(self) -> str:
        return str(self)

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.COMPLETED, self.Status.DENIED)

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def is_overdue(self, today=None) -> bool:
        return self.is_open and self.due_on < (today or clock.today())

    def code_expired(self) -> bool:
        return self.code_expires_at is None or clock.now() >= self.code_expires_at
