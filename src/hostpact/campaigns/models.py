"""What the campaigns app stores: a campaign (what marketing staff wrote, to which list and
segment, and its counters) and one recipient row per subscriber it was materialised for.

A recipient row is the subscriber's: whether the message was queued or skipped, and, only for
those who allowed email measurement, when they first opened it and first clicked. It holds no
address; the address is read from the account when the message is rendered. The campaign's
counters are aggregates, so they survive a subscriber's erasure (which deletes the rows).
"""

from django.db import models

from hostpact.core.models import OutboxMessage, Realm, Subject


class Campaign(models.Model):
    """A promotional mailing to one list, narrowed by a segment."""

    class Status(models.TextChoices):
        DRAFT = "draft"
        SCHEDULED = "scheduled"
        SENDING = "sending"
        SENT = "sent"
        CANCELLED = "cancelled"

    list_key = models.CharField(max_length=32)
    subject_line = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown.")
    segment = models.JSONField(default=dict, blank=True)
    # Whose customers it goes to, under whose brand: null is the platform's own; a campaign
    # never reaches another realm's accounts (they never see another brand).
    realm = models.ForeignKey(Realm, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    queued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    recipients_count = models.PositiveIntegerField(default=0)
    queued_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    tracked_count = models.PositiveIntegerField(default=0)
    opened_count = models.PositiveIntegerField(default=0)
    clicked_count = models.PositiveIntegerField(default=0)
    tests_sent = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"campaign {self.pk} ({self.status})"


class Recipient(models.Model):
    """One subscriber a campaign was materialised for, and what became of their message."""

    class Status(models.TextChoices):
        PENDING = "pending"
        QUEUED = "queued"
        SKIPPED = "skipped"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    message = models.ForeignKey(OutboxMessage, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")
    tracked = models.BooleanField(default=False)
    queued_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)
    skip_reason = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "subject"],
                                               name="one_recipient_per_campaign")]
        indexes = [models.Index(fields=["campaign", "status", "id"])]

    def __str__(self):
        return f"recipient {self.pk} ({self.status})"
