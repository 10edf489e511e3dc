"""The tables of the registry built into the platform (``builtin.BuiltinRegistry``).

They are the registry's, not the registrar's: the registry keeps its own copy of what the
registrar submitted (a thick registry), under its own object ids (ROIDs ``<n>_DOMAIN-HP`` and
``<n>_CONTACT-HP``). A contact's copy is encrypted under the contact's own subject key. The
models live in the ``domains`` app (``app_label``) and are imported by ``domains/models.py``.
"""

from django.db import models

from hostpact.core.fields import EncryptedTextField
from hostpact.core.models import Subject

REGISTRATION = "registration"


class RegistryDomain(models.Model):
    name = models.CharField(max_length=253, unique=True)
    roid = models.CharField(max_length=40, unique=True, null=True, blank=True)
    sponsor = models.CharField(max_length=64, help_text="The sponsoring registrar's id.")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    statuses = models.JSONField(default=list)
    nameservers = models.JSONField(default=list, help_text="[{host, addresses}]")
    contacts = models.JSONField(default=dict, help_text="{role: contact handle}")
    auth_code_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        app_label = "domains"
        ordering = ["name"]

    def __str__(self):
        return self.name


class RegistryContact(models.Model):
    handle = models.CharField(max_length=20, unique=True)
    roid = models.CharField(max_length=40, unique=True, null=True, blank=True)
    sponsor = models.CharField(max_length=64)
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+",
                                help_text="The contact's own data subject.")
    data = EncryptedTextField(retention_class=REGISTRATION,
                              help_text="The submitted contact data (JSON), encrypted.")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        app_label = "domains"
        ordering = ["handle"]

    def __str__(self):
        return self.handle


class RegistryMessage(models.Model):
    """A message of the registry's poll queue for a registrar (EPP <poll>)."""

    sponsor = models.CharField(max_length=64)
    domain = models.CharField(max_length=253)
    text = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    acked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "domains"
        ordering = ["id"]

    def __str__(self):
        return f"message {self.pk}"
