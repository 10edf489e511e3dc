"""Billing: payment methods (gateway tokens only)."""

from django.db import models

from hostpact.core.fields import EncryptedTextField
from hostpact.core.models import Subject


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
        return f"{(self.brand or '').title()} •••• {self.last4} (expires {self.exp_month}/{self.exp_year})"
