"""Resellers, their host names, prices, users, API keys and what they ask of the platform.

A ``Reseller`` is a business that sells the platform's hosting and domains under its own brand
(policy 10): it has a realm (its customers' accounts live there, apart from everyone else's),
a disclosures recipient with its reseller agreement (the gate's view of it: a lapsed agreement
stops it selling), a data-controller contact its customers are sent to, a country whose
calendar counts its business days, and a brand. None of its rows holds a customer's personal
value: requests and logs name customers by subject or account id.
"""

import secrets

from django.conf import settings
from django.db import models

from hostpact.billing.models import Price
from hostpact.core.fields import EncryptedTextField
from hostpact.core.models import Realm, Subject
from hostpact.privacy.disclosures.models import Recipient


class Reseller(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        SUSPENDED = "suspended", "Suspended"
        ENDED = "ended", "Relationship ended"

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=120, help_text="The business's legal name.")
    realm = models.OneToOneField(Realm, on_delete=models.PROTECT, related_name="reseller")
    recipient = models.OneToOneField(Recipient, on_delete=models.PROTECT,
                                     related_name="reseller")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING,
                             db_index=True)
    country = models.CharField(max_length=2, default="IN",
                               help_text="ISO country code: its business days' calendar.")
    # The data controller its customers are sent to (policy 10.1): a business's published
    # contact, shown on its privacy page.
    controller_name = models.CharField(max_length=120)
    controller_email = models.EmailField()
    controller_address = models.TextField()
    # The brand its storefront and panel show.
    brand_name = models.CharField(max_length=80)
    logo = models.BinaryField(null=True, blank=True, editable=False)
    logo_type = models.CharField(max_length=32, blank=True)
    primary_colour = models.CharField(max_length=7, default="#0b5cad")
    accent_colour = models.CharField(max_length=7, default="#f2f6fb")
    support_email = models.EmailField()
    policy_additions = models.TextField(blank=True, help_text="Markdown, added to its privacy "
                                        "page after the platform's commitments.")
    markup_percent = models.DecimalField(max_digits=6, decimal_places=2, default=0,
                                         help_text="Added to every catalogue price it has "
                                                   "no price of its own for.")
    created_at = models.DateTimeField()
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.CharField(max_length=64, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ResellerHost(models.Model):
    """A host name a reseller's storefront answers on (lower case, no port)."""

    reseller = models.ForeignKey(Reseller, on_delete=models.CASCADE, related_name="hosts")
    host = models.CharField(max_length=253, unique=True)
    primary = models.BooleanField(default=False, help_text="The one links in mail point to.")

    class Meta:
        ordering = ["-primary", "host"]

    def __str__(self):
        return self.host


class ResellerPrice(models.Model):
    """A reseller's own price for a catalogue price (a plan and cycle) or a TLD's
    registration, over its markup."""

    reseller = models.ForeignKey(Reseller, on_delete=models.CASCADE, related_name="prices")
    price = models.ForeignKey(Price, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+")
    tld = models.CharField(max_length=63, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reseller", "price"], condition=models.Q(
                price__isnull=False), name="one_reseller_price_per_price"),
            models.UniqueConstraint(fields=["reseller", "tld"], condition=~models.Q(tld=""),
                                    name="one_reseller_price_per_tld"),
            models.CheckConstraint(condition=models.Q(price__isnull=False) ^ ~models.Q(tld=""),
                                   name="reseller_price_names_one_item"),
        ]

    def __str__(self):
        return f"{self.reseller} price {self.pk}"


class Membership(models.Model):
    """A user of ours working for a reseller in its panel, under one role."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        SALES = "sales", "Sales"
        SUPPORT = "support", "Support"

    reseller = models.ForeignKey(Reseller, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="reseller_memberships")
    role = models.CharField(max_length=8, choices=Role.choices)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reseller", "user"],
                                               name="one_membership_per_reseller")]

    def __str__(self):
        return f"{self.user} at {self.reseller} ({self.role})"


def _key_id() -> str:
    return secrets.token_hex(4)


class ApiKey(models.Model):
    """A key for the reseller API: scoped, expiring, optionally bound to IP ranges; only the
    SHA-256 of the secret is kept (the key is shown once)."""

    SCOPES = ("customers:read", "customers:write", "removals", "opt-outs", "domains")

    reseller = models.ForeignKey(Reseller, on_delete=models.CASCADE, related_name="api_keys")
    key_id = models.CharField(max_length=16, unique=True, default=_key_id, editable=False,
                              help_text="The public part, shown in logs and lists.")
    name = models.CharField(max_length=80)
    secret_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    ip_ranges = models.JSONField(default=list, blank=True,
                                 help_text="CIDR ranges; empty: any address.")
    created_by = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"key {self.key_id} of {self.reseller}"


class ApiKeyUse(models.Model):
    """One call made with a key (or refused for it): what, when, from where, with what answer."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(db_index=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=200)
    status = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=120, blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.method} {self.path} {self.status}"


class RemovalRequest(models.Model):
    """A reseller's request that the platform remove a customer's data (C39): due thirty
    business days after it was made, on the reseller's country's calendar."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Removed"

    reseller = models.ForeignKey(Reseller, on_delete=models.PROTECT, related_name="removals")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    customer_id = models.CharField(max_length=16, help_text="The account's customer id.")
    state = models.CharField(max_length=4, choices=State.choices, default=State.OPEN,
                             db_index=True)
    requested_by = models.CharField(max_length=64)
    requested_at = models.DateTimeField()
    due_on = models.DateField(db_index=True)
    reminded = models.JSONField(default=list, help_text="Business-day marks reminded: 10, 20, "
                                "25 (escalation).")
    completed_at = models.DateTimeField(null=True, blank=True)
    erasure_request_id = models.UUIDField(null=True, blank=True)
    report = models.JSONField(default=dict, blank=True,
                              help_text="What was removed, what was kept and why.")

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(
            fields=["reseller", "subject"], condition=models.Q(state="open"),
            name="one_open_removal_per_customer")]

    def __str__(self):
        return f"removal {self.pk} due {self.due_on}"


class OptOut(models.Model):
    """A reseller's customer no longer wants the reseller's contact (C40)."""

    class Channel(models.TextChoices):
        PANEL = "panel", "Reseller panel"
        API = "api", "Reseller API"
        STOREFRONT = "storefront", "Form on the reseller's storefront"
        ONE_CLICK = "one-click", "The unsubscribe button of a mail"

    reseller = models.ForeignKey(Reseller, on_delete=models.CASCADE, related_name="opt_outs")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recorded_by = models.CharField(max_length=64)
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reseller", "subject"],
                                               name="one_opt_out_per_customer")]

    def __str__(self):
        return f"opt-out {self.pk} at {self.reseller}"


class ForwardedRequest(models.Model):
    """A customer's rights request the platform forwarded, with their consent, to the
    reseller that controls their data (C38); the platform does not act on it itself."""

    class Kind(models.TextChoices):
        ACCESS = "access", "Access to my data"
        CORRECTION = "correction", "Correction of my data"
        DELETION = "deletion", "Deletion of my data"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered by the reseller"

    reseller = models.ForeignKey(Reseller, on_delete=models.PROTECT, related_name="forwarded")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    channel = models.CharField(max_length=16, help_text="panel, api, support or phone")
    message = EncryptedTextField()
    consent_text = models.CharField(max_length=300)
    consented_at = models.DateTimeField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN,
                             db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-consented_at", "-id"]

    def __str__(self):
        return f"forwarded request {self.pk} ({self.kind})"


class Offboarding(models.Model):
    """The end of the processing for a reseller of one customer (their services ended) or of
    all its customers (the relationship ended) (C41): the data is offered to the reseller as an
    export, then deleted after the grace period, except what a hold keeps."""

    class State(models.TextChoices):
        OFFERED = "offered", "Export offered"
        DELETED = "deleted", "Deleted"
        CANCELLED = "cancelled", "Cancelled: a service runs again"

    reseller = models.ForeignKey(Reseller, on_delete=models.PROTECT, related_name="offboardings")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=24, help_text="services_ended or relationship_ended")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OFFERED,
                             db_index=True)
    offered_at = models.DateTimeField()
    delete_after = models.DateTimeField(db_index=True)
    exported_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["delete_after", "id"]
        constraints = [models.UniqueConstraint(
            fields=["reseller", "subject"], condition=models.Q(state="offered"),
            name="one_open_offboarding_per_customer")]

    def __str__(self):
        return f"offboarding {self.pk} ({self.reason})"
