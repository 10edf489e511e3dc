"""What the marketing app stores: each subscriber's state per mail list, the ledger of every
change to it, and the addresses mail must no longer reach (suppressions and the bounces behind
them).

Subscriptions belong to a subject, not to an address: the address is the account's, read when
a message is queued. Suppressions belong to an address (its blind index), because a dead or
unwilling mailbox stays so whoever's account points at it.
"""

from django.db import models

from hostpact.core.models import OutboxMessage, Subject


class Subscription(models.Model):
    """A subject's current state on one list (the latest of its changes)."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    list_key = models.CharField(max_length=32)
    subscribed = models.BooleanField()
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subject", "list_key"],
                                               name="one_subscription_per_list")]
        indexes = [models.Index(fields=["list_key", "subscribed"])]

    def __str__(self):
        return f"subscription {self.pk} ({self.list_key})"


class SubscriptionChange(models.Model):
    """One change of a subscription, as it was made: the consent record of C31.

    Erasure only removes the link to the subscriber (and the actor naming them): the entries
    stay as anonymous evidence of the consents given, like the cookie consent ledger.
    """

    class Method(models.TextChoices):
        SIGNUP = "signup", "at sign-up"
        PANEL = "panel", "in the control panel"
        LINK = "link", "from the link in an email"
        ONE_CLICK = "one-click", "with the mail program's unsubscribe button"
        MAILTO = "mailto", "by mail to the unsubscribe address"
        SUPPORT = "support", "through support"
        COMPLAINT = "complaint", "after a spam complaint"
        RESELLER = "reseller", "when they stopped their reseller's contact"

    subject = models.ForeignKey(Subject, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    list_key = models.CharField(max_length=32)
    subscribed = models.BooleanField()
    method = models.CharField(max_length=12, choices=Method.choices)
    policy_version = models.PositiveIntegerField(default=0)
    actor = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"subscription change {self.pk}"


class Suppression(models.Model):
    """An address mail must not reach: marketing never, transactional only when not hard."""

    class Reason(models.TextChoices):
        HARD_BOUNCE = "hard_bounce", "hard bounce"
        SOFT_BOUNCES = "soft_bounces", "3 soft bounces in 30 days"
        COMPLAINT = "complaint", "spam complaint"
        MANUAL = "manual", "added by staff"

    address_index = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    detail = models.CharField(max_length=200, blank=True,
                              help_text="The DSN status or feedback type; never an address.")
    created_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"suppression {self.pk} ({self.reason})"


class Bounce(models.Model):
    """One delivery status notification that said a message did not arrive."""

    class Kind(models.TextChoices):
        HARD = "hard"
        SOFT = "soft"

    address_index = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    status = models.CharField(max_length=16, help_text="RFC 3463 status code, e.g. 5.1.1.")
    message = models.ForeignKey(OutboxMessage, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")
    at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"bounce {self.pk} ({self.kind} {self.status})"
