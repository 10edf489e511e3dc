"""The consent ledger: one append-only receipt per choice a visitor made (policy 2.3, C06).

A receipt holds what was granted and refused, how (accept, reject, save, GPC, withdraw), under
which policy version and banner revision, the SHA-256 of the banner text shown, and when; never
an IP address or a user agent. It is found by the consent id the visitor's ``hp_consent``
carries; a subscriber's receipts are linked to their subject, and erasure only removes that
link, so the receipts stay as anonymous evidence.
"""

from django.db import models

from hostpact.core.models import Subject


class ConsentRecord(models.Model):
    """One choice, as it was made. Never changed, except its link to a subscriber."""

    class Method(models.TextChoices):
        ACCEPT = "accept", "Accept all"
        REJECT = "reject", "Reject all"
        SAVE = "save", "Saved choices"
        GPC = "gpc", "Global Privacy Control"
        WITHDRAW = "withdraw", "Withdrawn"
        PANEL = "panel", "Control panel switch"

    consent_id = models.CharField(max_length=32, db_index=True)
    subject = models.ForeignKey(Subject, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    granted = models.JSONField(default=list)
    refused = models.JSONField(default=list)
    method = models.CharField(max_length=8, choices=Method.choices)
    policy_version = models.PositiveIntegerField(default=0)
    banner_revision = models.PositiveIntegerField(default=0)
    banner_sha256 = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"consent receipt {self.pk}"

    def save(self, *args, **kwargs):
        """Insert a receipt; refuse to rewrite one (only its link may change)."""
        fields = kwargs.get("update_fields")
        if self.pk is not None and (fields is None or set(fields) != {"subject"}):
            raise ValueError("consent receipts are append-only; only the link may change")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("consent receipts are append-only")

    def receipt(self) -> dict:
        """Return the receipt as the visitor downloads it."""
        return {"consent_id": self.consent_id, "method": self.method,
                "granted": list(self.granted), "refused": list(self.refused),
                "policy_version": self.policy_version, "banner_revision": self.banner_revision,
                "banner_sha256": self.banner_sha256, "at": self.at.isoformat()}
