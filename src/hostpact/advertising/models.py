"""The advertising app's tables: campaigns, their creatives, who is in each audience, and the
daily counts an advertiser's report is built from.

An advertiser is a disclosures ``Recipient`` of kind advertiser; it never receives a row of
these tables. ``AudienceMember`` is derived personal data (which campaign's audience a
subscriber fell into, computed here from their answers); ``AdDay`` is counts about no one.
"""

from django.db import models

from hostpact.core.models import Subject
from hostpact.privacy.disclosures.models import Recipient


class AdCampaign(models.Model):
    """An advertiser's campaign: the audience it named and when it runs."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        ENDED = "ended", "Ended"

    advertiser = models.ForeignKey(Recipient, on_delete=models.PROTECT,
                                   related_name="ad_campaigns")
    name = models.CharField(max_length=120)
    audience = models.JSONField(default=dict, blank=True,
                                help_text="Lists of accepted values per attribute; "
                                          "an empty list accepts anyone.")
    audience_defined = models.BooleanField(default=False)
    member_count = models.PositiveIntegerField(default=0)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Empty: until ended.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "starts_on"])]

    def __str__(self):
        return f"Ad campaign {self.pk}"


class Creative(models.Model):
    """An image and a link, checked at upload; served from our own URL."""

    campaign = models.ForeignKey(AdCampaign, on_delete=models.CASCADE, related_name="creatives")
    image = models.BinaryField()
    content_type = models.CharField(max_length=20)
    extension = models.CharField(max_length=5)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    alt_text = models.CharField(max_length=200)
    target_url = models.URLField(max_length=500)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"Creative {self.pk}"


class AudienceMember(models.Model):
    """One subscriber in one campaign's audience, as computed on our server."""

    campaign = models.ForeignKey(AdCampaign, on_delete=models.CASCADE, related_name="members")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subject", "campaign"],
                                               name="advertising_member_once")]

    def __str__(self):
        return f"Member of ad campaign {self.campaign_id}"


class AdDay(models.Model):
    """Impressions and clicks of one creative on one day: counts about no one."""

    campaign = models.ForeignKey(AdCampaign, on_delete=models.CASCADE, related_name="days")
    creative = models.ForeignKey(Creative, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    impressions = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day", "creative"]
        constraints = [models.UniqueConstraint(fields=["creative", "day"],
                                               name="advertising_day_once")]

    def __str__(self):
        return f"Creative {self.creative_id} on {self.day}"
