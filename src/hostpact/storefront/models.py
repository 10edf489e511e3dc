"""The cart, the checkouts made from it, and the fulfilment of the domains a checkout paid.

A cart belongs to a browser session (its unguessable ``token`` is kept in the session) and,
once the visitor signs in, to the subscriber. It expires ``STOREFRONT_CART_DAYS`` after it was
last changed. A ``Fulfilment`` row is written in the same transaction as the payment, one per
domain item, so a worker killed between the payment and the registry's answer leaves a row
the sweep finishes or refunds, never a paid and unregistered domain.
"""

from django.db import models

from hostpact.core.fields import EncryptedTextField
from hostpact.core.models import Subject
from hostpact.domains.queries import shown

MIN_YEARS, MAX_YEARS = 1, 10


class Cart(models.Model):
    """What a visitor means to buy; one checkout at most."""

    token = models.CharField(max_length=64, unique=True,
                             help_text="Random id kept in the session: the cart's only key.")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+", help_text="The subscriber, once signed in.")
    invoice = models.ForeignKey("billing.Invoice", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+",
                                help_text="The open invoice of a checkout not yet paid.")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    def __str__(self):
        return f"cart {self.pk}"


class CartItem(models.Model):
    """One domain to register, renew or transfer in, or one hosting plan (a catalogue price).

    A transfer's auth code is not kept in the cart: checkout asks for it."""

    class Kind(models.TextChoices):
        REGISTER = "register", "Domain registration"
        RENEW = "renew", "Domain renewal"
        TRANSFER = "transfer", "Domain transfer in"
        PLAN = "plan", "Hosting plan"

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # A-label: the domain to register or renew, or the domain a plan is attached to.
    domain = models.CharField(max_length=253, blank=True)
    years = models.PositiveSmallIntegerField(default=1)
    privacy = models.BooleanField(default=False)
    price = models.ForeignKey("billing.Price", on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.kind} {self.pk}"


class Checkout(models.Model):
    """A paid cart: its invoice and the fulfilment of its domains."""

    cart = models.OneToOneField(Cart, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="checkout")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    invoice = models.ForeignKey("billing.Invoice", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    def __str__(self):
        return f"checkout {self.pk}"


class Fulfilment(models.Model):
    """A paid domain registration, renewal or transfer in, until the registry has done it (or
    refused). A transfer's auth code is kept encrypted only until then."""

    class Kind(models.TextChoices):
        REGISTER = "register", "Registration"
        RENEW = "renew", "Renewal"
        TRANSFER = "transfer", "Transfer in"

    class State(models.TextChoices):
        PENDING = "pending", "Registering…"
        DONE = "done", "Done"
        REFUNDED = "refunded", "Refused and refunded"

    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="fulfilments")
    order = models.OneToOneField("billing.Order", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    domain = models.CharField(max_length=253, help_text="A-label.")
    years = models.PositiveSmallIntegerField()
    privacy = models.BooleanField(default=False)
    contacts = models.JSONField(default=dict, blank=True, help_text="role -> contact handle")
    nameservers = models.JSONField(default=list, blank=True)
    auth_code = EncryptedTextField(retention_class="security",
                                   help_text="A transfer's auth code, until done.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["state", "updated_at"], name="fulfilment_pending")]

    def __str__(self):
        return f"fulfilment {self.pk}"

    @property
    def shown_domain(self) -> str:
        """The domain's U-label form, as people read it."""
        return shown(self.domain)
