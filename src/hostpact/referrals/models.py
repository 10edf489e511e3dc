"""Banner rewards, affiliates and campaigns: codes, clicks, attributions and what they earn.

A ``ReferralCode`` belongs to a subscriber (banner rewards, policy 2.3.2) or to an
``Affiliate`` (policy 2.3.4). A ``Click`` on ``/r/<code>`` keeps the code, the time, the banner
and the campaign parameters, never an address or a cookie id. An ``Attribution`` says which code
brought a subscriber and how (the ``hp_ref`` cookie, allowed by advertising consent, or the
code carried in the forms of the same visit). A paid order of a referred subscriber earns a
``Reward`` (the referring subscriber's, paid as a billing credit) or a ``Commission`` (the
affiliate's, paid out by staff, each ``Payout`` a row of an append-only ledger); both mature
after ``settings.REFERRAL_MATURITY_DAYS`` and are clawed back by a refund before that.
"""

from decimal import Decimal

from django.db import models

from hostpact.core.models import Subject
from hostpact.privacy.disclosures.models import Recipient

UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
UTM_MAX = 64


def money() -> models.DecimalField:
    return models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))


def _utm():
    return models.CharField(max_length=UTM_MAX, blank=True, default="")


class Affiliate(models.Model):
    """A business credited for the customers it brings: a member of the corporate family or an
    outside partner.

    An affiliate receives aggregates only (counts under 10 suppressed, never a name), so no
    personal data reaches it and no disclosure record is written for its reports. ``recipient``
    links it to its entry in the disclosures gate when it is one (a corporate family member
    receives data for other purposes under its own agreement); it stays optional because the
    programme itself discloses nothing.
    """

    class Kind(models.TextChoices):
        INTERNAL = "internal", "Internal (corporate family)"
        EXTERNAL = "external", "External partner"

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    agreement_reference = models.CharField(max_length=64)
    agreement_from = models.DateField()
    agreement_until = models.DateField(null=True, blank=True, help_text="Empty: until ended.")
    recipient = models.ForeignKey(Recipient, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="affiliates")
    contact_user = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="affiliates",
                                     help_text="The login that sees the affiliate's report.")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def agreement_valid_on(self, day) -> bool:
        return self.agreement_from <= day and (self.agreement_until is None
                                               or day <= self.agreement_until)


class ReferralCode(models.Model):
    """The code in ``/r/<code>``: a subscriber's (banner rewards) or an affiliate's."""

    code = models.CharField(max_length=16, unique=True)
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="referral_codes")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    affiliate = models.ForeignKey(Affiliate, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="codes")
    label = models.CharField(max_length=60, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(
            condition=(models.Q(user__isnull=False, affiliate__isnull=True)
                       | models.Q(user__isnull=True, affiliate__isnull=False)),
            name="referral_code_one_owner")]

    def __str__(self):
        return self.code


class Click(models.Model):
    """One visit through ``/r/<code>``: no address, no user agent, no cookie id."""

    code = models.ForeignKey(ReferralCode, on_delete=models.CASCADE, related_name="clicks")
    at = models.DateTimeField(db_index=True)
    banner = models.CharField(max_length=20, blank=True)
    utm_source = _utm()
    utm_medium = _utm()
    utm_campaign = _utm()
    utm_content = _utm()
    utm_term = _utm()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"click {self.pk}"


class Attribution(models.Model):
    """Which code brought a subscriber, how, and at which step; one per subscriber."""

    class Via(models.TextChoices):
        COOKIE = "cookie", "Referral cookie (advertising consent)"
        VISIT = "visit", "Code carried in the same visit"

    class Event(models.TextChoices):
        SIGNUP = "signup", "Sign-up"
        ORDER = "order", "Order"

    user = models.OneToOneField("accounts.User", on_delete=models.CASCADE,
                                related_name="referral_attribution")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    code = models.ForeignKey(ReferralCode, on_delete=models.PROTECT,
                             related_name="attributions")
    click = models.ForeignKey(Click, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    via = models.CharField(max_length=6, choices=Via.choices)
    event = models.CharField(max_length=6, choices=Event.choices)
    banner = models.CharField(max_length=20, blank=True)
    utm_source = _utm()
    utm_medium = _utm()
    utm_campaign = _utm()
    utm_content = _utm()
    utm_term = _utm()
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"attribution {self.pk}"


class RewardRule(models.Model):
    """What a referred subscriber's first paid order of a product (or of a domain) earns the
    subscriber whose banner brought them."""

    class Kind(models.TextChoices):
        PERCENT = "percent", "Percentage of the order before GST"
        FIXED = "fixed", "Fixed amount"

    product = models.OneToOneField("billing.Product", on_delete=models.CASCADE, null=True,
                                   blank=True, related_name="+")
    domains = models.BooleanField(default=False, help_text="The rule of every domain line.")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.DecimalField(max_digits=10, decimal_places=2)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["domains", "product"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(product__isnull=False, domains=False)
                           | models.Q(product__isnull=True, domains=True)),
                name="reward_rule_product_or_domains"),
            models.UniqueConstraint(fields=["domains"], condition=models.Q(domains=True),
                                    name="one_domain_reward_rule"),
        ]

    def __str__(self):
        return "domains" if self.domains else f"product {self.product_id}"


class CommissionRule(models.Model):
    """An affiliate's commission: a percentage of every paid order it brought, before GST."""

    affiliate = models.OneToOneField(Affiliate, on_delete=models.CASCADE,
                                     related_name="commission_rule")
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    active = models.BooleanField(default=True)

    def __str__(self):
        return f"{self.percent} % for {self.affiliate}"


class Earning(models.Model):
    """What one paid order earned; pending until it matures, clawed back by a refund before."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending (maturing)"
        MATURED = "matured", "Matured"
        CLAWED_BACK = "clawed_back", "Clawed back (refunded)"
        FORFEITED = "forfeited", "Forfeited (referrer gone)"

    order = models.ForeignKey("billing.Order", on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+")
    attribution = models.ForeignKey(Attribution, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+")
    amount = money()
    currency = models.CharField(max_length=3, default="INR")
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    earned_at = models.DateTimeField()
    matures_at = models.DateTimeField(db_index=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Reward(Earning):
    """A banner reward of the subscriber whose code brought the order; matured, it becomes a
    billing credit on their next invoice."""

    code = models.ForeignKey(ReferralCode, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="rewards")
    referrer = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="referral_rewards")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    banner = models.CharField(max_length=20, blank=True)
    credit_id = models.PositiveBigIntegerField(null=True, blank=True,
                                               help_text="The billing credit it became.")

    class Meta:
        ordering = ["-earned_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["order"], name="one_reward_per_order")]

    def __str__(self):
        return f"reward {self.pk}"


class Commission(Earning):
    """An affiliate's commission on one paid order it brought."""

    affiliate = models.ForeignKey(Affiliate, on_delete=models.PROTECT,
                                  related_name="commissions")
    campaign = models.CharField(max_length=UTM_MAX, blank=True)

    class Meta:
        ordering = ["-earned_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["order"],
                                               name="one_commission_per_order")]

    def __str__(self):
        return f"commission {self.pk}"


class Payout(models.Model):
    """Money staff paid an affiliate: a ledger row, never changed or deleted."""

    affiliate = models.ForeignKey(Affiliate, on_delete=models.PROTECT, related_name="payouts")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="INR")
    reference = models.CharField(max_length=64)
    paid_on = models.DateField()
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=64)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"payout {self.pk}"
