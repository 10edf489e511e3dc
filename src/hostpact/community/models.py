"""Forums (categories, threads, posts), testimonials, and requests to remove personal
information from them.

Posts and testimonials are published by their author's choice: public personal data
(``user.content.public``), stored as the author wrote them (Markdown) and rendered through
the sanitiser on every page. ``subject`` is the author's subject (the spine finds the rows of a
subscriber's export, "My information" and erasure by it); it and ``author`` are cleared when a
post is anonymised, so the post stays and reads as by a "former member". A removal request
belongs to its requester: a subscriber (their subject) or a visitor (a subject of its own),
whose address is encrypted under that subject's key.
"""

from django.conf import settings
from django.db import models

from hostpact.core.fields import EncryptedTextField
from hostpact.core.models import Subject

REMOVALS = "support"  # retention class of a requester's address: handled like a ticket


class Category(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


class State(models.TextChoices):
    VISIBLE = "visible", "Visible"
    HELD = "held", "Awaiting moderation"
    REMOVED = "removed", "Removed"


class Thread(models.Model):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="threads")
    title = models.CharField(max_length=200)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    subject = models.ForeignKey(Subject, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    created_at = models.DateTimeField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.VISIBLE)
    pinned = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-pinned", "-created_at", "-pk"]

    def __str__(self):
        return f"thread {self.pk}"


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    subject = models.ForeignKey(Subject, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    body = models.TextField(blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.VISIBLE,
                             db_index=True)
    anonymised = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"post {self.pk}"


class Testimonial(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+")
    subject = models.ForeignKey(Subject, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    display_name = models.CharField(max_length=80)
    text = models.TextField()
    state = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED,
                             db_index=True)
    created_at = models.DateTimeField()
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"testimonial {self.pk}"


class RemovalRequest(models.Model):
    class Target(models.TextChoices):
        POST = "post", "A forum post"
        TESTIMONIAL = "testimonial", "A testimonial"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        REMOVED = "removed", "Removed"
        ANONYMISED = "anonymised", "Anonymised"
        REFUSED = "refused", "Refused"

    class Reason(models.TextChoices):
        QUOTED = "quoted", "It is quoted in another member's post"
        LEGAL_CLAIM = "legal_claim", "It is needed for a legal claim"
        NOT_PERSONAL = "not_personal", "It is not personal information about you"
        LAW = "law", "We are required by law to keep it"
        OTHER = "other", "Another reason (explained below)"

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+")
    requester_email = EncryptedTextField(retention_class=REMOVALS, subject_attr="subject_id")
    target_kind = models.CharField(max_length=12, choices=Target.choices)
    target_id = models.PositiveIntegerField()
    what = EncryptedTextField(retention_class=REMOVALS, subject_attr="subject_id")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN,
                              db_index=True)
    reason = models.CharField(max_length=14, choices=Reason.choices, blank=True)
    reason_text = models.TextField(blank=True)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=64, blank=True)
    ticket = models.ForeignKey("support.Ticket", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return f"R-{self.pk:06d}" if self.pk else "new removal request"
