"""Realms, subjects, their data keys, the audit ledger, and the postal address every app stores."""

import uuid

from django.db import models

from hostpact.core.fields import EncryptedTextField


class Realm(models.Model):
    """Whose customers an account belongs to: none (null) for the platform's own, otherwise a
    business that sells under its own brand (a reseller) and directs the collection.

    Core knows only that realms exist, so every layer can keep one realm's accounts apart from
    another's (email uniqueness, log-in, mailing) without knowing what a reseller is.
    """

    name = models.CharField(max_length=120)
    created_at = models.DateTimeField()

    def __str__(self):
        return self.name


class Subject(models.Model):
    """A person the platform holds data about; owns the data keys of that data.

    A subject of kind ``legal_hold`` is no person: it owns the one key the records a legal
    hold keeps are re-encrypted under, so erasing their person's keys does not reach them.
    """

    class Kind(models.TextChoices):
        SUBSCRIBER = "subscriber"
        CONTACT = "contact"
        INQUIRER = "inquirer"
        VISITOR = "visitor"
        STAFF = "staff"
        LEGAL_HOLD = "legal_hold"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField()
    # Null: the platform's own subject. A reseller's customer's subject carries its realm, so
    # the privacy layer can tell whose controller their data has without knowing resellers.
    realm = models.ForeignKey(Realm, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")

    def __str__(self):
        return f"subject {self.id}"


POSTAL_ADDRESS_FIELDS = ("line1", "line2", "city", "region", "postal_code", "country")


class PostalAddress(models.Model):
    """A postal address encrypted under the row's subject key: the address columns of every
    model that holds one, so they have one set of names (``core.forms.AddressForm`` cleans
    them). The inheriting model has the ``subject`` the fields encrypt under."""

    line1 = EncryptedTextField()
    line2 = EncryptedTextField()
    city = EncryptedTextField()
    region = EncryptedTextField()
    postal_code = EncryptedTextField()
    country = EncryptedTextField()

    class Meta:
        abstract = True


class DataKey(models.Model):
    """One AES key per (subject, retention class), wrapped by a master key."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="data_keys")
    retention_class = models.CharField(max_length=32)
    master_key_id = models.CharField(max_length=16)
    wrapped = models.BinaryField(null=True)
    shredded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject", "retention_class"], name="one_key_per_class")
        ]

    def __str__(self):
        return f"key {self.subject_id}/{self.retention_class}"


class AuditEntry(models.Model):
    """One link of the tamper-evident ledger: HMAC over the previous hash and this entry."""

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.CharField(max_length=64)
    action = models.CharField(max_length=64)
    subject_id = models.UUIDField(null=True, db_index=True)
    object_ref = models.CharField(max_length=64, blank=True)
    fields = models.JSONField(default=list)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"#{self.seq} {self.action}"


class Counter(models.Model):
    """A named anonymous count (for example refused under-13 sign-ups) and rate-limit buckets."""

    name = models.CharField(max_length=120, unique=True)
    value = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField()

    def __str__(self):
        return self.name


class OutboxMessage(models.Model):
    """An email waiting to be sent, encrypted under its recipient's key until it leaves.

    A worker claims a row (status ``sending``) just before talking SMTP and marks it ``sent``
    after. A row a dead worker left ``sending`` becomes ``unconfirmed``: it may have gone, so it
    is not resent (nobody gets a message twice); staff can queue it again by hand. A row a send
    filter stopped at the last moment (unsubscribed, suppressed) is ``skipped``, with the reason.
    """

    class Status(models.TextChoices):
        QUEUED = "queued"
        SENDING = "sending"
        SENT = "sent"
        FAILED = "failed"
        UNCONFIRMED = "unconfirmed"
        SKIPPED = "skipped"

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=32, default="transactional")
    to_addr = EncryptedTextField()
    subject_line = EncryptedTextField()
    body = EncryptedTextField()
    html = EncryptedTextField()
    # Extra headers (List-Unsubscribe, threading, Message-ID): their tokens carry signed ids,
    # never an address, so they are stored in clear.
    headers = models.JSONField(default=dict, blank=True)
    from_addr = models.CharField(max_length=254, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED,
                              db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=128, blank=True)
    skip_reason = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return f"message {self.pk} ({self.status})"
