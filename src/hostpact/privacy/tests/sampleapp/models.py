"""A subscriber's loyalty card: a name to print on it, a phone to text offers to, points."""

from django.conf import settings
from django.db import models

from hostpact.core.fields import EncryptedTextField
from hostpact.core.models import Subject


class LoyaltyCard(models.Model):
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    # A back-office inline needs a foreign key to the page's model, the user.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             related_name="+")
    printed_name = EncryptedTextField()
    phone = EncryptedTextField()
    points = models.IntegerField(default=0)
    created_at = models.DateTimeField()

    def __str__(self):
        return f"loyalty card {self.pk}"
