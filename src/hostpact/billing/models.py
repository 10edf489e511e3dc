"""Billing: the catalogue, orders, invoices, payments, services and payment methods.

Cards are kept as gateway tokens only. An invoice copies the billed name and address at issue
time, encrypted under the subject's ``tax`` key: the law keeps invoices for the tax period after
the subscriber leaves, so the invoice holds its subject (PROTECT) and loses only its user link.
"""

from decimal import Decimal

from django.db import models

from hostpact.core.fields import EncryptedTextField
from hostpact.core.models import PostalAddress, Subject

TAX = "tax"


def money() -> models.DecimalField:
    """Amounts in rupees with paise as two decimals (exact; never floats)."""
    return models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))


class PaymentMethod(models.Model):
    """A card as the gateway's token plus what a person needs to recognise it."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE,
                             related_name="payment_methods")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    gateway = models.CharField(max_length=32)
    token = EncryptedTextField()
    brand = EncryptedTextField()
    last4 = EncryptedTextField()
    exp_month = EncryptedTextField()
    exp_year = EncryptedTextField()
    is_default = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    def __str__(self):
        return f"card {self.pk} of {self.user}"

    @property
    def summary(self) -> str:
        expiry = f"{self.exp_month}/{self.exp_year}"
        return f"{(self.brand or '').title()} •••• {self.last4} (expires {expiry})"


class Cycle(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual"


CYCLE_MONTHS = {Cycle.MONTHLY: 1, Cycle.QUARTERLY: 3, Cycle.ANNUAL: 12}


class Product(models.Model):
    """Something a subscriber can order (domains come with their own app)."""

    class Kind(models.TextChoices):
        SHARED = "shared_hosting", "Shared hosting"
        VPS = "vps", "VPS"
        DEDICATED = "dedicated", "Dedicated server"
        SSL = "ssl", "SSL certificate"
        EMAIL = "email", "Email"

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=20, blank=True,
                            help_text="Set when the price is per unit, e.g. 'mailbox'.")
    active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class Price(models.Model):
    """The price of a product for one billing cycle, before GST."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="prices")
    cycle = models.CharField(max_length=10, choices=Cycle.choices)
    amount = money()
    currency = models.CharField(max_length=3, default="INR")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["product__sort_order", "product__code", "amount"]
        constraints = [models.UniqueConstraint(fields=["product", "cycle"],
                                               name="one_price_per_cycle")]

    def __str__(self):
        return f"{self.product.name} ({self.get_cycle_display()})"


class TldPrice(models.Model):
    """What a domain under one TLD costs per year, before GST: to register, renew, transfer in."""

    tld = models.CharField(max_length=63, unique=True, help_text="Without the dot, as A-label.")
    register = money()
    renew = money()
    transfer = money()
    currency = models.CharField(max_length=3, default="INR")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["tld"]
        verbose_name = "TLD price"

    def __str__(self):
        return f".{self.tld}"


class Order(models.Model):
    """One line of what a subscriber bought: a catalogue price, or a domain for some years."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting payment"
        PAID = "paid", "Paid"
        CANCELLED = "cancelled", "Cancelled"
        REFUNDED = "refunded", "Refunded"

    class Kind(models.TextChoices):
        PRODUCT = "product", "Product"
        DOMAIN_REGISTRATION = "domain_registration", "Domain registration"
        DOMAIN_RENEWAL = "domain_renewal", "Domain renewal"
        DOMAIN_TRANSFER = "domain_transfer", "Domain transfer in"

    # Orders back invoices, which outlive the account: the user link may go, the subject stays.
    user = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="orders")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PRODUCT)
    description = models.CharField(max_length=200, blank=True)
    # The A-label of the domain the line is about (a registration) or attached to (a plan).
    domain = models.CharField(max_length=253, blank=True)
    # Domain lines have no catalogue price: their amount comes from the TLD prices.
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+", null=True,
                                blank=True)
    price = models.ForeignKey(Price, on_delete=models.PROTECT, related_name="+", null=True,
                              blank=True)
    cycle = models.CharField(max_length=10, choices=Cycle.choices, blank=True)
    quantity = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    currency = models.CharField(max_length=3, default="INR")
    subtotal = money()
    tax = money()
    total = money()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"order {self.pk}"


class InvoiceSequence(models.Model):
    """The last invoice number issued in a calendar year; locked while the next is taken."""

    year = models.PositiveIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class Invoice(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PAID = "paid", "Paid"
        VOID = "void", "Void"

    number = models.CharField(max_length=20, unique=True)
    year = models.PositiveIntegerField()
    seq = models.PositiveIntegerField()
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="invoices")
    # Set when the invoice is for one order (a single order, a renewal); each line names its
    # own order, which is what a multi-line invoice goes by.
    order = models.ForeignKey(Order, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="invoices")
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    issued_at = models.DateTimeField()
    due_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    currency = models.CharField(max_length=3, default="INR")
    subtotal = money()
    tax_rate = models.DecimalField(max_digits=5, decimal_places=4)
    tax = money()
    total = money()
    billed_name = EncryptedTextField(retention_class=TAX)
    billed_company = EncryptedTextField(retention_class=TAX)
    billed_address = EncryptedTextField(retention_class=TAX)

    class Meta:
        ordering = ["-year", "-seq"]
        constraints = [models.UniqueConstraint(fields=["year", "seq"], name="one_number_a_year")]

    def __str__(self):
        return self.number

    @property
    def tax_percent(self) -> str:
        return f"{(self.tax_rate * 100).normalize():f}"


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    order = models.ForeignKey(Order, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="invoice_lines")
    description = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField(default=1)
    unit_amount = money()
    amount = money()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"line {self.pk} of {self.invoice_id}"


class Payment(models.Model):
    class Status(models.TextChoices):
        SUCCEEDED = "succeeded", "Succeeded"
        REFUNDED = "refunded", "Refunded"

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    gateway = models.CharField(max_length=32)
    reference = models.CharField(max_length=64)
    amount = money()
    currency = models.CharField(max_length=3, default="INR")
    status = models.CharField(max_length=10, choices=Status.choices)
    created_at = models.DateTimeField()

    def __str__(self):
        return f"payment {self.pk}"


class Refund(models.Model):
    """Money given back for one order, through the gateway that took the payment."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="refund")
    amount = money()  # the order's total, GST included
    currency = models.CharField(max_length=3, default="INR")
    reason = models.CharField(max_length=200)
    reference = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"refund {self.pk}"


class Service(models.Model):
    """What an order provides once paid: a hosting plan, a server, a certificate, mailboxes."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting payment"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        CANCELLED = "cancelled", "Cancelled"

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="services")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="service")
    domain = models.CharField(max_length=253, blank=True, help_text="A-label it serves, if any.")
    cycle = models.CharField(max_length=10, choices=Cycle.choices)
    quantity = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    started_at = models.DateTimeField(null=True, blank=True)
    renews_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"service {self.pk}"


class BillingAddress(PostalAddress):
    """Who invoices are made out to, when not the subscriber's own name and postal address."""

    user = models.OneToOneField("accounts.User", on_delete=models.CASCADE,
                                related_name="billing_address")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    name = EncryptedTextField()
    company = EncryptedTextField()
    email = EncryptedTextField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "billing addresses"

    def __str__(self):
        return f"billing address of {self.user}"


class Credit(models.Model):
    """Money the platform owes a subscriber (a banner reward, a goodwill gesture), taken off
    their next invoices before GST, oldest first, until it is used up."""

    class Status(models.TextChoices):
        AVAILABLE = "available", "Available"
        USED = "used", "Used"
        CANCELLED = "cancelled", "Cancelled"

    # A used credit is part of an invoice's history, so it outlives the user link like one.
    user = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="credits")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    amount = money()
    remaining = money()
    currency = models.CharField(max_length=3, default="INR")
    reason = models.CharField(max_length=100)
    # The granting task's key: a task run twice finds its credit instead of granting another.
    reference = models.CharField(max_length=100, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AVAILABLE)
    created_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="credit_positive"),
            models.CheckConstraint(
                condition=models.Q(remaining__gte=0, remaining__lte=models.F("amount")),
                name="credit_remaining_within_amount"),
        ]

    def __str__(self):
        return f"credit {self.pk}"


class CreditUse(models.Model):
    """How much of one credit one invoice took, and the invoice line that shows it."""

    credit = models.ForeignKey(Credit, on_delete=models.PROTECT, related_name="uses")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_uses")
    line = models.OneToOneField(InvoiceLine, on_delete=models.PROTECT, related_name="credit_use")
    amount = money()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"use {self.pk} of credit {self.credit_id}"
