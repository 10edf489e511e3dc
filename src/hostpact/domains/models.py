"""Domains, their name servers and contacts, as the registrar (this platform) keeps them.

Registration data is kept under the ``registration`` retention class: the registrar keeps it
for the term and 2 years after sponsorship ends (ICANN RAA 3.4).

A contact is a data subject of its own (``core.Subject`` of kind ``contact``): its columns are
encrypted under the contact's subject key (``contact_subject``), so one contact can be
shredded alone. Its ``subject`` is the subscriber who owns it, which is how the export and
"My information" find a subscriber's contacts (the data-map walk follows ``subject``).

The built-in registry's own tables are in ``registry/models.py``.
"""

from django.db import models

from hostpact.core.fields import EncryptedTextField
from hostpact.core.models import PostalAddress, Subject

REGISTRATION = "registration"
CLIENT_TRANSFER_PROHIBITED = "clientTransferProhibited"
MIN_NAMESERVERS, MAX_NAMESERVERS = 2, 13
MIN_YEARS, MAX_YEARS = 1, 10
TRANSFER_LOCK_DAYS = 60  # ICANN Transfer Policy: no transfer within 60 days of registration

# EPP status values (RFC 5731 §2.3) a registrar may set, and those the registry sets.
CLIENT_STATUSES = ("clientDeleteProhibited", "clientHold", "clientRenewProhibited",
                   CLIENT_TRANSFER_PROHIBITED, "clientUpdateProhibited")
SERVER_STATUSES = ("ok", "inactive", "pendingCreate", "pendingDelete", "pendingRenew",
                   "pendingTransfer", "pendingUpdate", "serverDeleteProhibited", "serverHold",
                   "serverRenewProhibited", "serverTransferProhibited",
                   "serverUpdateProhibited")
EPP_STATUSES = CLIENT_STATUSES + SERVER_STATUSES


def _encrypted(**kwargs) -> EncryptedTextField:
    """A contact's column: under the contact's own key, in the registration class."""
    return EncryptedTextField(retention_class=REGISTRATION, subject_attr="contact_subject_id",
                              **kwargs)


def default_statuses() -> list[str]:
    return [CLIENT_TRANSFER_PROHIBITED]


class Contact(PostalAddress):
    """A reusable contact (registrant, admin, tech or billing) of a subscriber's domains."""

    handle = models.CharField(max_length=20, unique=True, null=True, blank=True,
                              help_text="C<number>-HP, given when the contact is created.")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE,
                             related_name="domain_contacts")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+",
                                help_text="The subscriber who owns the contact.")
    contact_subject = models.OneToOneField(Subject, on_delete=models.PROTECT, related_name="+",
                                           help_text="The contact's own data subject.")
    name = _encrypted()
    organization = _encrypted()
    email = _encrypted()
    phone = _encrypted()
    # The postal address of core.PostalAddress, under the contact's key rather than the
    # owner's (the inherited columns would encrypt under ``subject``).
    line1 = _encrypted()
    line2 = _encrypted()
    city = _encrypted()
    region = _encrypted()
    postal_code = _encrypted()
    country = _encrypted()
    publish = models.BooleanField(default=False, help_text="Consent to publish in WHOIS/RDAP.")
    publish_policy_version = models.PositiveIntegerField(null=True, blank=True)
    publish_changed_at = models.DateTimeField(null=True, blank=True)
    # ICANN Whois Accuracy Program: the email is verified by a link mailed to it; a registrant
    # left unverified 15 days has its domains put on clientHold until it is.
    email_verified_at = models.DateTimeField(null=True, blank=True)
    verification_sent_at = models.DateTimeField(null=True, blank=True)
    verification_reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.handle or f"contact {self.pk}"


SPONSORED_STATES = ("active", "expired", "transferring_out")  # Domain.State values


class Domain(models.Model):
    """A domain the platform sponsors (or sponsored) at the registry, for one subscriber."""

    class State(models.TextChoices):
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired (grace period)"
        TRANSFERRING_OUT = "transferring_out", "Released for transfer to another registrar"
        TRANSFERRED_OUT = "transferred_out", "Transferred to another registrar"
        DELETED = "deleted", "Deleted"

    # Unique among sponsored domains only: an ended registration is kept 2 years (its own
    # retention) while the name may be registered again.
    name = models.CharField(max_length=253, db_index=True, help_text="A-label form.")
    # The registry's id follows the domain, so a name transferred away and back has the same
    # one on its ended record: unique among sponsored domains, like the name.
    roid = models.CharField(max_length=40, db_index=True, help_text="The registry's object id.")
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="domains")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    auto_renew = models.BooleanField(default=True)
    statuses = models.JSONField(default=default_statuses,
                                help_text="EPP status values (RFC 5731).")
    transfer_lock_until = models.DateTimeField(
        help_text="No transfer before this moment (60 days after registration).")
    auth_code_hash = models.CharField(max_length=64, blank=True,
                                      help_text="Keyed hash of the transfer auth code.")
    privacy = models.BooleanField(default=False, help_text="Domain privacy service on.")
    state = models.CharField(max_length=20, choices=State.choices, default=State.ACTIVE)
    hold_reasons = models.JSONField(
        default=list, blank=True,
        help_text="Why clientHold is set (unverified registrant, complaint); it is lifted when "
                  "none is left.")
    ended_at = models.DateTimeField(null=True, blank=True,
                                    help_text="When sponsorship ended (deleted or transferred).")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], condition=models.Q(state__in=SPONSORED_STATES),
                                    name="one_sponsored_domain_per_name"),
            models.UniqueConstraint(fields=["roid"], condition=models.Q(state__in=SPONSORED_STATES),
                                    name="one_sponsored_domain_per_roid"),
        ]

    def __str__(self):
        return self.name

    @property
    def transfer_locked(self) -> bool:
        return CLIENT_TRANSFER_PROHIBITED in self.statuses


class Nameserver(models.Model):
    """One of a domain's 2–13 name servers; glue addresses only for a host inside the domain."""

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="nameservers")
    host = models.CharField(max_length=253)
    addresses = models.JSONField(default=list, blank=True,
                                 help_text="Glue: IPv4/IPv6 addresses of an in-zone host.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["domain", "position"]
        constraints = [models.UniqueConstraint(fields=["domain", "host"],
                                               name="one_host_per_domain")]

    def __str__(self):
        return self.host


class DomainContact(models.Model):
    """Which contact holds which role for a domain."""

    class Role(models.TextChoices):
        REGISTRANT = "registrant", "Registrant"
        ADMIN = "admin", "Administrative"
        TECH = "tech", "Technical"
        BILLING = "billing", "Billing"

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="roles")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        ordering = ["domain", "role"]
        constraints = [models.UniqueConstraint(fields=["domain", "role"],
                                               name="one_contact_per_role")]

    def __str__(self):
        return f"{self.role} of {self.domain_id}"


# The built-in registry's and the escrow deposits' tables belong to this app too (Django finds
# models here).
from hostpact.domains.escrow.models import EscrowDeposit  # noqa: E402, F401
from hostpact.domains.registry.models import (  # noqa: E402, F401
    RegistryContact,
    RegistryDomain,
    RegistryMessage,
)
