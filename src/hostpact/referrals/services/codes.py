"""Writes of the programme's set-up: subscribers' and affiliates' codes, affiliates, rules.

Each function runs in one transaction and writes its audit event; a subscriber's code is
written under the lock of the subscriber (an erasure under way refuses it).
"""

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from hostpact.core import audit, clock
from hostpact.privacy.rights.guard import lock_subject_for_write
from hostpact.referrals.links import clean_code, new_code
from hostpact.referrals.models import (
    Affiliate,
    CommissionRule,
    ReferralCode,
    RewardRule,
)

MAX_CODES = 5  # per subscriber: one for each site they put banners on is plenty
MAX_LABEL = 60


class ReferralError(Exception):
    """A referral write was refused; ``field`` names the input at fault. Nothing changed."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _label(value) -> str:
    label = value.strip() if isinstance(value, str) else ""
    if len(label) > MAX_LABEL:
        raise ReferralError(f"Keep the label to {MAX_LABEL} characters.", "label")
    return label


def _unique_code() -> str:
    while True:
        code = new_code()
        if not ReferralCode.objects.filter(code=code).exists():
            return code


@transaction.atomic
def create_code(user, *, label: str = "", actor: str) -> ReferralCode:
    """Give ``user`` a new banner-rewards code (at most ``MAX_CODES``)."""
    lock_subject_for_write(user.subject_id)
    label = _label(label)
    if ReferralCode.objects.filter(user=user).count() >= MAX_CODES:
        raise ReferralError(f"You have {MAX_CODES} codes already, the most there can be.")
    code = ReferralCode.objects.create(code=_unique_code(), user=user, subject_id=user.subject_id,
                                       label=label, created_at=clock.now())
    audit.record(actor, "referrals.code.create", user.subject_id, ["code", "label"],
                 f"referral_code:{code.pk}")
    return code


def code_of(user, *, actor: str) -> ReferralCode:
    """Return ``user``'s first active code, creating it when they have none."""
    found = ReferralCode.objects.filter(user=user, active=True).first()
    return found or create_code(user, actor=actor)


@transaction.atomic
def create_affiliate(*, name: str, kind: str, agreement_reference: str, agreement_from,
                     agreement_until=None, recipient=None, contact_user=None,
                     actor: str) -> Affiliate:
    """Register an affiliate under its agreement."""
    name = name.strip() if isinstance(name, str) else ""
    reference = agreement_reference.strip() if isinstance(agreement_reference, str) else ""
    if not name or len(name) > 120:
        raise ReferralError("Give the affiliate's name in 1 to 120 characters.", "name")
    if kind not in Affiliate.Kind.values:
        raise ReferralError("Choose internal or external.", "kind")
    if not reference or len(reference) > 64:
        raise ReferralError("Give the agreement's reference in 1 to 64 characters.",
                            "agreement_reference")
    if agreement_until is not None and agreement_until < agreement_from:
        raise ReferralError("The agreement cannot end before it begins.", "agreement_until")
    if Affiliate.objects.filter(name=name).exists():
        raise ReferralError("An affiliate of this name exists already.", "name")
    affiliate = Affiliate.objects.create(
        name=name, kind=kind, agreement_reference=reference, agreement_from=agreement_from,
        agreement_until=agreement_until, recipient=recipient, contact_user=contact_user,
        created_at=clock.now())
    audit.record(actor, "referrals.affiliate.create", None, [], f"affiliate:{affiliate.pk}")
    return affiliate


@transaction.atomic
def create_affiliate_code(affiliate: Affiliate, *, code: str = "", label: str = "",
                          actor: str) -> ReferralCode:
    """Give ``affiliate`` a code: ``code`` when given (4 to 16 letters or digits), else a
    random one."""
    label = _label(label)
    if code:
        wanted = clean_code(code)
        if wanted is None:
            raise ReferralError("A code is 4 to 16 letters or digits.", "code")
        if ReferralCode.objects.filter(code=wanted).exists():
            raise ReferralError("This code is taken.", "code")
    else:
        wanted = _unique_code()
    try:
        with transaction.atomic():
            row = ReferralCode.objects.create(code=wanted, affiliate=affiliate, label=label,
                                              created_at=clock.now())
    except IntegrityError:  # taken between the check and the insert
        raise ReferralError("This code is taken.", "code")
    audit.record(actor, "referrals.code.create", None, ["code", "label"],
                 f"referral_code:{row.pk}")
    return row


def _amount(value, field: str, *, percent: bool) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ReferralError("Enter a number.", field)
    if amount <= 0 or (percent and amount > 100) or amount >= Decimal("1e9"):
        raise ReferralError("Enter a percentage above 0 and at most 100." if percent
                            else "Enter an amount above 0.", field)
    return amount


@transaction.atomic
def set_reward_rule(*, product=None, domains: bool = False, kind: str, value,
                    active: bool = True, actor: str) -> RewardRule:
    """Set the banner reward of ``product`` (or of domain lines, ``domains=True``)."""
    if (product is None) == (not domains):
        raise ReferralError("A rule is for one product or for domains.", "product")
    if kind not in RewardRule.Kind.values:
        raise ReferralError("Choose a percentage or a fixed amount.", "kind")
    value = _amount(value, "value", percent=kind == RewardRule.Kind.PERCENT)
    key = {"domains": True} if domains else {"product": product}
    rule, _ = RewardRule.objects.update_or_create(
        **key, defaults={"kind": kind, "value": value, "active": active})
    audit.record(actor, "referrals.reward_rule.set", None, [], f"reward_rule:{rule.pk}")
    return rule


@transaction.atomic
def set_commission_rule(affiliate: Affiliate, *, percent, active: bool = True,
                        actor: str) -> CommissionRule:
    """Set ``affiliate``'s commission: ``percent`` of each paid order it brought."""
    percent = _amount(percent, "percent", percent=True)
    rule, _ = CommissionRule.objects.update_or_create(
        affiliate=affiliate, defaults={"percent": percent, "active": active})
    audit.record(actor, "referrals.commission_rule.set", None, [],
                 f"commission_rule:{rule.pk}")
    return rule
