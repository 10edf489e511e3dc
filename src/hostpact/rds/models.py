"""The registration data directories' own tables: precomputed answers and the query log.

A ``Record`` is what WHOIS and RDAP serve for one domain or one contact, made by
``records.refresh`` from the domains app's rows whenever the domain services change them
(docs/decisions/0006). It holds only what the rules publish (redacted contacts, the privacy
service instead of a protected customer), encrypted like the data it was made from: under the
domain owner's key (a domain's record) or the contact's (a contact's). It is a derived copy
with no ``subject`` of its own, so it is not listed apart in an export: the domain and contact
rows it comes from are.

A ``QueryLog`` row is one WHOIS or RDAP query with the client's address, kept 30 days for
abuse handling.
"""

import base64
import zlib

from django.db import models

from hostpact.core.fields import EncryptedTextField
from hostpact.core.models import Subject

REGISTRATION = "registration"
QUERY_LOG = "query_log"


class CompressedBody(EncryptedTextField):
    """An answer, compressed before it is encrypted: RDAP's JSON and WHOIS's lines are
    repetitive, and at a fifth of their size the table (100,000 domains: 1.7 GB plain) and
    every read of it stay small."""

    def to_text(self, value) -> str:
        return pack(str(value))

    def from_text(self, text: str):
        return unpack(text.encode()).decode()


def pack(text: str) -> str:
    """``text`` compressed, as the base64 text that is encrypted."""
    return base64.b64encode(zlib.compress(text.encode(), 6)).decode()


def unpack(packed: bytes) -> bytes:
    """The UTF-8 bytes of a body ``pack`` made."""
    return zlib.decompress(base64.b64decode(packed))


def _body() -> CompressedBody:
    return CompressedBody(retention_class=REGISTRATION, subject_attr="key_subject_id")


class Record(models.Model):
    """One precomputed answer of the directories: an RDAP object and its WHOIS text."""

    class Kind(models.TextChoices):
        DOMAIN = "domain", "Domain"
        ENTITY = "entity", "Contact (entity)"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=253, help_text="A-label domain name or contact handle.")
    # Plain ids, not foreign keys: the record follows its source through ``refresh``, and the
    # data-map walk must not list the copy as a second item of the subject's data.
    source_id = models.BigIntegerField(help_text="The Domain's or Contact's id.")
    key_subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+",
                                    help_text="Whose data key encrypts the bodies.")
    # Before the bodies: a look-up that reads only the small columns then stops at the row's
    # first page instead of following the bodies' overflow pages.
    updated_at = models.DateTimeField(help_text="When the source data last changed.")
    rdap = _body()
    whois = _body()

    class Meta:
        ordering = ["kind", "key"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="one_record_per_key")]
        indexes = [models.Index(fields=["kind", "source_id"])]

    def __str__(self):
        return f"{self.kind} {self.key}"


class QueryLog(models.Model):
    """One query of WHOIS (port 43 or the web page) or RDAP, for abuse handling."""

    class Protocol(models.TextChoices):
        WHOIS = "whois", "WHOIS (port 43)"
        WEB = "web", "WHOIS web page"
        RDAP = "rdap", "RDAP"

    at = models.DateTimeField(db_index=True)
    protocol = models.CharField(max_length=8, choices=Protocol.choices)
    client_ip = models.CharField(max_length=45)
    query = models.CharField(max_length=300)
    outcome = models.CharField(max_length=16, help_text="found, not_found, bad, limited, busy")

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.protocol} query {self.pk}"
