"""The disclosures gate's records: who may receive what, and every time data left.

A ``Recipient`` is a third party with the data categories and purposes it may receive; its
``Agreement`` rows say under which contract (and whether under confidentiality) and for which
dates. ``Disclosure`` is one call of ``disclose()``, linked to each subject whose data went by a
``DisclosureSubject`` row, so "who received my data" is one indexed query. ``DisclosureRefusal``
keeps the calls the gate refused. ``AuthorityRequest`` is a request from an authority or a
complainant (a subpoena, a court order, a complaint), answered through the same gate once the
compliance role approves it. (Not "legal request": "legal" also names legal holds and bases.)

None of these rows holds a personal value: categories and purposes are taxonomy keys, and the
subject links are ids.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from hostpact.core.models import Realm, Subject
from hostpact.privacy import taxonomy

# Billing data: anything financial (cards, invoices, bank accounts), never a partner's (C23).
BILLING = "user.financial"


def billing_keys(categories) -> list[str]:
    """Return the keys of ``categories`` that are billing data or cover it (``user``)."""
    return [k for k in categories or () if taxonomy.within(k, BILLING)
            or taxonomy.within(BILLING, k)]


class Recipient(models.Model):
    """A third party personal data may go to, and what it may receive."""

    class Kind(models.TextChoices):
        CORPORATE_FAMILY = "corporate_family", "Corporate family member"
        SERVICE_PROVIDER = "service_provider", "Service provider"
        CO_MARKETING = "co_marketing", "Co-marketing partner"
        ADVERTISER = "advertiser", "Advertiser"
        ESCROW_AGENT = "escrow_agent", "Escrow agent"
        LAW_ENFORCEMENT = "law_enforcement", "Law enforcement"
        COMPLAINANT = "complainant", "Complainant"
        DOMAIN_HOLDER = "domain_holder", "Holder of a domain complained about"
        RESELLER = "reseller", "Reseller (controller of its customers' data)"

    class Role(models.TextChoices):
        NONE = "", "—"
        REGISTRY = "registry", "Domain registry"
        EMAIL = "email", "Email provider"
        SSL = "ssl", "SSL certificate authority"
        PAYMENT = "payment", "Payment gateway"
        SURVEY = "survey", "Survey provider"

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    role = models.CharField(max_length=16, choices=Role.choices, blank=True, default="",
                            help_text="What a service provider does for us.")
    active = models.BooleanField(default=True)
    allowed_categories = models.JSONField(
        default=list, blank=True,
        help_text="Data category keys (fideslang); a key allows the categories under it.")
    allowed_purposes = models.JSONField(
        default=list, blank=True,
        help_text="Data use keys (fideslang); a key allows the uses under it.")
    created_at = models.DateTimeField()
    # A reseller is the controller of its realm's customers' data: it receives theirs only.
    realm = models.OneToOneField(Realm, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="recipient",
                                 help_text="The realm whose customers' data it controls.")

    class Meta:
        ordering = ["kind", "slug"]

    def __str__(self):
        return self.name

    def clean(self):
        """Refuse billing categories for a co-marketing partner (C23), whoever edits it."""
        billing = billing_keys(self.allowed_categories)
        if self.kind == self.Kind.CO_MARKETING and billing:
            raise ValidationError({"allowed_categories": (
                f"A co-marketing partner never receives billing data: remove "
                f"{', '.join(billing)}.")})

    @property
    def needs_agreement(self) -> bool:
        return self.kind not in LEGAL_BASIS_KINDS

    @property
    def needs_confidentiality(self) -> bool:
        return self.kind in CONFIDENTIAL_KINDS

    @property
    def needs_legal_basis(self) -> bool:
        return self.kind in LEGAL_BASIS_KINDS


# C21: the corporate family and partners receive data only under confidentiality; processors
# and the escrow agent sign confidentiality into their data-processing or escrow agreement.
CONFIDENTIAL_KINDS = frozenset({Recipient.Kind.CORPORATE_FAMILY, Recipient.Kind.SERVICE_PROVIDER,
                                Recipient.Kind.CO_MARKETING, Recipient.Kind.ESCROW_AGENT})
# No contract binds an authority, a complainant or the holder of a domain complained about:
# each disclosure to them needs its own basis. Only the first two send requests.
AUTHORITY_KINDS = frozenset({Recipient.Kind.LAW_ENFORCEMENT, Recipient.Kind.COMPLAINANT})
LEGAL_BASIS_KINDS = AUTHORITY_KINDS | {Recipient.Kind.DOMAIN_HOLDER}


class Agreement(models.Model):
    """A contract with a recipient, valid between two dates."""

    class Kind(models.TextChoices):
        CONFIDENTIALITY = "confidentiality", "Confidentiality agreement"
        DATA_PROCESSING = "data_processing", "Data-processing agreement"
        CO_MARKETING = "co_marketing", "Co-marketing agreement"
        ESCROW = "escrow", "Escrow agreement"
        ADVERTISING = "advertising", "Advertising agreement"
        GROUP = "group", "Intra-group agreement"
        RESELLER = "reseller", "Reseller agreement"

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reference = models.CharField(max_length=64)
    signed_on = models.DateField()
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True, help_text="Empty: until ended.")
    confidentiality = models.BooleanField(
        default=False, help_text="The agreement binds the recipient to confidentiality.")

    class Meta:
        ordering = ["recipient", "-valid_from"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference}"

    def valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class AuthorityRequest(models.Model):
    """A request from an authority (legal process) or a complainant for subscribers' data
    (C26)."""

    class Instrument(models.TextChoices):
        SUBPOENA = "subpoena", "Subpoena"
        COURT_ORDER = "court_order", "Court order"
        LEGAL_PROCESS = "legal_process", "Other legal process"
        FRAUD = "fraud", "Investigation of fraud or illegal activity"
        THREAT = "threat", "Investigation of threats to safety"
        TERMS = "terms", "Investigation of a violation of the terms of service"
        LEGAL_CLAIMS = "legal_claims", "Defence of legal claims"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        DISCLOSED = "disclosed", "Disclosed"

    instrument = models.CharField(max_length=16, choices=Instrument.choices)
    reference = models.CharField(max_length=64, help_text="The instrument's own reference.")
    authority = models.ForeignKey(
        Recipient, on_delete=models.PROTECT, related_name="authority_requests",
        limit_choices_to={"kind__in": sorted(AUTHORITY_KINDS)})
    subjects = models.ManyToManyField(Subject, related_name="+", blank=True)
    categories = models.JSONField(default=list)
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    received_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=64)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    ndo_until = models.DateField(
        null=True, blank=True, verbose_name="non-disclosure order until",
        help_text="A non-disclosure order hides the disclosure from the subject until this date.")

    class Meta:
        ordering = ["-received_at"]
        verbose_name = "request from an authority"
        verbose_name_plural = "requests from authorities"

    def __str__(self):
        return f"authority request {self.pk} ({self.get_instrument_display()})"

    @property
    def legal_basis(self) -> str:
        return f"{self.get_instrument_display()} {self.reference}".strip()


class Disclosure(models.Model):
    """One call of ``disclose()``: data of some categories went to a recipient."""

    recipient = models.ForeignKey(Recipient, on_delete=models.PROTECT,
                                  related_name="disclosures")
    agreement = models.ForeignKey(Agreement, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    authority_request = models.ForeignKey(AuthorityRequest, null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="disclosures")
    categories = models.JSONField(default=list)
    purpose = models.CharField(max_length=120)
    legal_basis = models.CharField(max_length=300)
    actor = models.CharField(max_length=64)
    reference = models.CharField(max_length=120, blank=True)
    subject_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"disclosure {self.pk} to {self.recipient}"


class DisclosureSubject(models.Model):
    """Whose data a disclosure carried: one row per subject."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="links")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subject", "disclosure"],
                                               name="one_link_per_subject")]

    def __str__(self):
        return f"disclosure {self.disclosure_id} of {self.subject_id}"


class DisclosureRefusal(models.Model):
    """A disclosure the gate refused: nothing was sent; why, to whom, what was asked."""

    recipient = models.ForeignKey(Recipient, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="refusals")
    recipient_slug = models.CharField(max_length=64)
    categories = models.JSONField(default=list)
    purpose = models.CharField(max_length=120)
    reason = models.CharField(max_length=300)
    actor = models.CharField(max_length=64)
    reference = models.CharField(max_length=120, blank=True)
    subject_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"refusal {self.pk} ({self.recipient_slug})"
