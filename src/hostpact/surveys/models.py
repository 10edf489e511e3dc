"""What the surveys app stores, split so that "who answered what" cannot be recovered.

A survey and its questions are what staff wrote. An invitation is the invitee's: that they were
invited, the hash of their link's token, and whether (never when) they answered. A response and
its answers carry a random UUID, no time, no IP, no user agent and no link to the invitation or
the subscriber, except when the participant asked to be contacted about their answers: then the
response names them (``subject``) and keeps their address and name encrypted under
their key, for the follow-up only (C20).
"""

import uuid

from django.db import models

from hostpact.core.fields import EncryptedTextField
from hostpact.core.models import Subject


class Survey(models.Model):
    """A voluntary survey staff built, sent to a segment, by us or by a survey provider."""

    class State(models.TextChoices):
        DRAFT = "draft"
        INVITING = "inviting"
        CLOSED = "closed"

    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.DRAFT)
    provider = models.ForeignKey("disclosures.Recipient", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+")
    segment = models.JSONField(default=dict, blank=True)
    created_by = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    invited_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title


class Question(models.Model):
    """One question; every question may be skipped (participation is voluntary)."""

    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        SCALE = "scale", "Scale"
        TEXT = "text", "Free text"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    text = models.CharField(max_length=300)
    choices = models.JSONField(default=list, blank=True)
    scale_min = models.SmallIntegerField(default=1)
    scale_max = models.SmallIntegerField(default=5)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


class Invitation(models.Model):
    """That a subscriber was invited; the token's hash; answered or not, never when."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    reminder_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    sent_to = EncryptedTextField()
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded = models.BooleanField(default=False)
    answered = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "subject"],
                                               name="one_invitation_per_survey")]


class Response(models.Model):
    """One set of answers: random id, no time, no origin, no link, unless contact was asked."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    subject = models.ForeignKey(Subject, on_delete=models.SET_NULL, null=True,
                                        blank=True, related_name="+")
    contact_email = EncryptedTextField()
    contact_name = EncryptedTextField()


class Answer(models.Model):
    """One answer to one question (a skipped question has no row)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    values = models.JSONField(default=list, blank=True)
    scale = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)


class TextReview(models.Model):
    """Staff's decision on one free-text answer: shareable, or withheld."""

    class Decision(models.TextChoices):
        APPROVED = "approved"
        WITHHELD = "withheld"

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="review")
    decision = models.CharField(max_length=8, choices=Decision.choices)
    reviewed_by = models.CharField(max_length=64)


class Change(models.Model):
    """"You said, we did": what changed in response to a survey."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="changes")
    text = models.TextField()
    published_by = models.CharField(max_length=64)
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at", "-pk"]
