"""Tickets of the support desk: the thread of messages with one inquirer, and their files.

Each ticket is a data subject of its own (core kind ``inquirer``): everything the inquirer
wrote, and the address it came from, is encrypted under the ticket's key (retention class
``support``), so a ticket's contents end on their own date, two years after it is closed, by
the retention run shredding that one key. A ticket is tied to an account only once its
sender's address matched the account's verified address; then ``subject`` is the subscriber's
subject, which is how the export, "My information" and erasure find it.
"""

from django.conf import settings
from django.db import models

from hostpact.core.fields import EncryptedTextField
from hostpact.core.models import Subject

SUPPORT = "support"  # the retention class, and the encryption class, of ticket contents


def _secret_field():
    return EncryptedTextField(retention_class=SUPPORT, subject_attr="inquirer_id")


class Ticket(models.Model):
    class Queue(models.TextChoices):
        SUPPORT = "support", "Support"
        ABUSE = "abuse", "Abuse"
        COMPLIANCE = "compliance", "Compliance"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        WEB = "web", "Contact form"

    queue = models.CharField(max_length=12, choices=Queue.choices, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN,
                              db_index=True)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    # The key owner of the ticket's contents: one inquirer subject per ticket.
    inquirer = models.OneToOneField(Subject, on_delete=models.PROTECT, related_name="+")
    # The inquirer's subject until linked; the subscriber's once linked (export, erasure).
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+")
    return_address = _secret_field()
    subject_line = _secret_field()
    sender_name = _secret_field()
    # Opaque, random: the signed token in Reply-To names the ticket and proves it with this.
    thread_secret = models.CharField(max_length=32)
    request = models.ForeignKey("requests.DataSubjectRequest", on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+")
    suggested_request = models.CharField(max_length=12, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return f"T-{self.pk:06d}" if self.pk else "new ticket"


class TicketMessage(models.Model):
    class Direction(models.TextChoices):
        IN = "in", "Received"
        OUT = "out", "Sent"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    inquirer_id = models.UUIDField()  # the ticket's key owner, copied for the field's key
    from_addr = EncryptedTextField(retention_class=SUPPORT, subject_attr="inquirer_id")
    # Where an answer to this message goes: its Reply-To, else its From (policy 3.3).
    return_address = EncryptedTextField(retention_class=SUPPORT, subject_attr="inquirer_id")
    body = EncryptedTextField(retention_class=SUPPORT, subject_attr="inquirer_id")
    message_id = EncryptedTextField(retention_class=SUPPORT, subject_attr="inquirer_id")
    # A keyed hash of the Message-ID, to thread a reply's In-Reply-To/References to it.
    message_id_index = models.CharField(max_length=40, db_index=True)
    in_reply_to = EncryptedTextField(retention_class=SUPPORT, subject_attr="inquirer_id")
    references = EncryptedTextField(retention_class=SUPPORT, subject_attr="inquirer_id")
    at = models.DateTimeField()
    actor = models.CharField(max_length=64, blank=True)  # the staff member who answered
    auto_submitted = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)  # what was cut or dropped, for staff

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"message {self.pk} of T-{self.ticket_id:06d}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(TicketMessage, on_delete=models.CASCADE,
                                related_name="attachments")
    inquirer_id = models.UUIDField()
    filename = EncryptedTextField(retention_class=SUPPORT, subject_attr="inquirer_id")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = EncryptedTextField(retention_class=SUPPORT, subject_attr="inquirer_id")  # base64

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"attachment {self.pk}"
