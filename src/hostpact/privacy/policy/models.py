"""Policy versions, the notices sent about them, opt-outs of the uses they add, and questions.

A version is published once and never edited: what subscribers were told must stay what it was.
``PolicyNotice`` has one row per (version, subject), created in the same transaction as the
outbox message, so a notice run killed and started again never mails anyone twice.
"""

from django.db import models

from hostpact.core.fields import EncryptedTextField
from hostpact.core.models import OutboxMessage, Subject


class PolicyVersion(models.Model):
    """One published text of the privacy policy, in force from ``effective_at``."""

    number = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    text = models.TextField(help_text="Markdown: headings, paragraphs, lists.")
    effective_at = models.DateTimeField(db_index=True)
    published_at = models.DateTimeField()
    published_by = models.CharField(max_length=64, blank=True)
    material = models.BooleanField(default=False)
    new_uses = models.JSONField(default=list, blank=True,
                                help_text="fideslang data_use keys this version adds.")
    summary = models.TextField(blank=True, help_text="What changed, in plain words.")
    # Progress of the notice run (material versions only).
    notices_total = models.PositiveIntegerField(default=0)
    notices_queued = models.PositiveIntegerField(default=0)
    notices_finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"version {self.number}"


class PolicyNotice(models.Model):
    """The advance notice of one version sent to one subject: at most one, ever."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="notices")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(OutboxMessage, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "subject"],
                                               name="one_notice_per_version_and_subject")]

    def __str__(self):
        return f"notice {self.pk} of version {self.version_id}"


class UseOptOut(models.Model):
    """A subject's choice about one data use a policy version added (on = opted out).

    The use key is encrypted like any preference of a person; ``active`` is plain so a switch
    turned back on keeps its history in the audit ledger, not in extra rows.
    """

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    use = EncryptedTextField()
    active = models.BooleanField(default=True)
    changed_at = models.DateTimeField()

    def __str__(self):
        return f"opt-out {self.pk}"


class Inquiry(models.Model):
    """A question about the policy for the compliance team, from anyone (C37)."""

    class Status(models.TextChoices):
        OPEN = "open"
        ANSWERED = "answered"

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, null=True,
                                related_name="+")
    name = EncryptedTextField()
    email = EncryptedTextField()
    question = EncryptedTextField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "inquiries"
        ordering = ["-created_at"]

    def __str__(self):
        return f"inquiry {self.pk}"
