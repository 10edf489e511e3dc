"""What referred customers' payments earn: banner rewards and affiliate commissions.

Written from billing's events, inside the paying or refunding transaction (a rolled-back
payment takes its rewards with it). An earning is pending for
``settings.REFERRAL_MATURITY_DAYS``; a refund of its order in that time claws it back, so a
reward never reaches an invoice for money that went back. ``mature_earnings`` (a periodic task)
then turns a matured reward into a billing credit of the referrer, which their next invoice
applies, never below zero; a matured commission counts towards the affiliate's balance, which
staff pay out (``record_payout``, an append-only ledger).
"""

import logging
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import Sum

from hostpact.billing.models import Invoice, Order
from hostpact.billing.services import invoice_orders
from hostpact.billing.services.credits import grant_credit
from hostpact.core import audit, clock
from hostpact.privacy.rights.guard import SubjectErased, lock_subject_for_write
from hostpact.referrals.models import (
    Affiliate,
    Attribution,
    Commission,
    CommissionRule,
    Earning,
    Payout,
    Reward,
    RewardRule,
)
from hostpact.referrals.services.codes import ReferralError

log = logging.getLogger(__name__)

ACTOR = "system:referrals"
PAISE = Decimal("0.01")
REWARD_REASON = "Banner reward"
DOMAIN_KINDS = (Order.Kind.DOMAIN_REGISTRATION, Order.Kind.DOMAIN_RENEWAL,
                Order.Kind.DOMAIN_TRANSFER)
MAX_REFERENCE = 64


def _percent(base: Decimal, percent: Decimal) -> Decimal:
    return (base * percent / 100).quantize(PAISE, rounding=ROUND_HALF_UP)


def _rule_for(order: Order, rules: dict) -> RewardRule | None:
    if order.kind in DOMAIN_KINDS:
        return rules.get("domains")
    return rules.get(order.product_id)


def _reward_amount(order: Order, rule: RewardRule) -> Decimal:
    if rule.kind == RewardRule.Kind.PERCENT:
        return _percent(order.subtotal, rule.value)
    return min(rule.value, order.subtotal)  # a fixed reward is never more than was paid


def _first_paid(invoice: Invoice) -> bool:
    """True when ``invoice`` is the one that made its owner a paying subscriber."""
    return not Invoice.objects.filter(user_id=invoice.user_id, status=Invoice.Status.PAID,
                                      paid_at__lt=invoice.paid_at).exists()


def _rewards(invoice, orders, attribution: Attribution, now, matures) -> list[Reward]:
    referrer = attribution.code.user
    if referrer is None or not referrer.is_active or not _first_paid(invoice):
        return []
    rules = {("domains" if r.domains else r.product_id): r
             for r in RewardRule.objects.filter(active=True)}
    made = []
    for order in orders:
        rule = _rule_for(order, rules)
        if rule is None or Reward.objects.filter(order=order).exists():
            continue
        amount = _reward_amount(order, rule)
        if amount <= 0:
            continue
        made.append(Reward.objects.create(
            order=order, attribution=attribution, code=attribution.code, referrer=referrer,
            subject_id=referrer.subject_id, banner=attribution.banner, amount=amount,
            currency=order.currency, earned_at=now, matures_at=matures))
    return made


def _commissions(orders, attribution: Attribution, now, matures) -> list[Commission]:
    affiliate = attribution.code.affiliate
    rule = CommissionRule.objects.filter(affiliate=affiliate, active=True).first()
    if rule is None or not affiliate.active or not affiliate.agreement_valid_on(now.date()):
        return []
    made = []
    for order in orders:
        amount = _percent(order.subtotal, rule.percent)
        if amount <= 0 or Commission.objects.filter(order=order).exists():
            continue
        made.append(Commission.objects.create(
            order=order, attribution=attribution, affiliate=affiliate, amount=amount,
            currency=order.currency, campaign=attribution.utm_campaign, earned_at=now,
            matures_at=matures))
    return made


@transaction.atomic
def earn_on_payment(invoice, payment=None) -> list[Earning]:
    """Write the pending rewards or commissions ``invoice``'s paid orders earn (billing's
    ``on_paid``); banner rewards come from the first paid invoice of a referred subscriber,
    commissions from every paid order. Idempotent: one earning per order."""
    if invoice.user_id is None:
        return []
    attribution = (Attribution.objects.select_related("code__user", "code__affiliate")
                   .filter(user_id=invoice.user_id).first())
    if attribution is None:
        return []
    orders = [o for o in invoice_orders(invoice) if o.status == Order.Status.PAID]
    now = clock.now()
    matures = now + timedelta(days=settings.REFERRAL_MATURITY_DAYS)
    if attribution.code.affiliate_id is not None:
        made = _commissions(orders, attribution, now, matures)
    else:
        made = _rewards(invoice, orders, attribution, now, matures)
    for row in made:
        subject = getattr(row, "subject_id", None)
        audit.record(ACTOR, f"referrals.{type(row).__name__.lower()}.earn", subject,
                     ["amount"], f"{type(row).__name__.lower()}:{row.pk}")
    return made


@transaction.atomic
def claw_back_on_refund(order, refund=None) -> int:
    """Claw back the pending earnings of a refunded ``order`` (billing's ``on_refunded``);
    return how many. A matured earning stays: the maturity period is the refund window."""
    now = clock.now()
    count = 0
    for model in (Reward, Commission):
        for row in model.objects.select_for_update().filter(order=order,
                                                             state=Earning.State.PENDING):
            row.state, row.settled_at = Earning.State.CLAWED_BACK, now
            row.save(update_fields=["state", "settled_at"])
            audit.record(ACTOR, f"referrals.{model.__name__.lower()}.claw_back",
                         getattr(row, "subject_id", None), ["amount"],
                         f"{model.__name__.lower()}:{row.pk}")
            count += 1
    return count


def _settle_reward(pk: int, now) -> None:
    with transaction.atomic():
        reward = Reward.objects.select_for_update().get(pk=pk)
        if reward.state != Earning.State.PENDING:
            return
        referrer = None
        try:
            referrer = lock_subject_for_write(reward.subject_id)
        except SubjectErased:
            pass
        reward.settled_at = now
        if referrer is None or reward.referrer_id != referrer.pk:
            reward.state = Earning.State.FORFEITED
            reward.save(update_fields=["state", "settled_at"])
            audit.record(ACTOR, "referrals.reward.forfeit", reward.subject_id, [],
                         f"reward:{reward.pk}")
            return
        credit = grant_credit(referrer, reward.amount, reason=REWARD_REASON,
                              reference=f"referral-reward:{reward.pk}", actor=ACTOR)
        reward.state, reward.credit_id = Earning.State.MATURED, credit.pk
        reward.save(update_fields=["state", "settled_at", "credit_id"])
        audit.record(ACTOR, "referrals.reward.mature", reward.subject_id, ["amount"],
                     f"reward:{reward.pk}")


def _settle_commission(pk: int, now) -> None:
    with transaction.atomic():
        row = Commission.objects.select_for_update().get(pk=pk)
        if row.state != Earning.State.PENDING:
            return
        row.state, row.settled_at = Earning.State.MATURED, now
        row.save(update_fields=["state", "settled_at"])
        audit.record(ACTOR, "referrals.commission.mature", None, ["amount"],
                     f"commission:{row.pk}")


def mature_earnings() -> int:
    """Settle every pending earning whose maturity has passed: a reward becomes a billing
    credit of its referrer, a commission counts towards its affiliate's balance. Each in its
    own transaction, so one failure leaves the others done; return how many settled."""
    now = clock.now()
    done = 0
    for model, settle in ((Reward, _settle_reward), (Commission, _settle_commission)):
        due = model.objects.filter(state=Earning.State.PENDING, matures_at__lte=now)
        for pk in due.order_by("matures_at", "pk").values_list("pk", flat=True):
            try:
                settle(pk, now)
            except Exception as exc:  # ids and the type only: the message may be personal
                log.error("settling %s %s failed (%s)", model.__name__.lower(), pk,
                          type(exc).__name__)
                continue
            done += 1
    return done


def affiliate_balance(affiliate) -> Decimal:
    """Return what ``affiliate`` is owed: matured commissions minus payouts."""
    earned = (Commission.objects.filter(affiliate=affiliate, state=Earning.State.MATURED)
              .aggregate(s=Sum("amount"))["s"] or Decimal("0.00"))
    paid = Payout.objects.filter(affiliate=affiliate).aggregate(s=Sum("amount"))["s"]
    return earned - (paid or Decimal("0.00"))


@transaction.atomic
def record_payout(affiliate, *, amount, reference: str, paid_on, actor: str) -> Payout:
    """Record that staff paid ``affiliate`` ``amount`` (at most its balance) under
    ``reference``: one more ledger row."""
    affiliate = Affiliate.objects.select_for_update().get(pk=affiliate.pk)
    try:
        amount = Decimal(str(amount)).quantize(PAISE)
    except (InvalidOperation, ValueError):
        raise ReferralError("Enter the amount paid, in rupees.", "amount")
    reference = reference.strip() if isinstance(reference, str) else ""
    if amount <= 0:
        raise ReferralError("Enter an amount above 0.", "amount")
    if not reference or len(reference) > MAX_REFERENCE:
        raise ReferralError(f"Give the payment's reference in 1 to {MAX_REFERENCE} "
                            "characters.", "reference")
    balance = affiliate_balance(affiliate)
    if amount > balance:
        raise ReferralError(f"The affiliate is owed {balance}; a payout cannot exceed it.",
                            "amount")
    row = Payout.objects.create(affiliate=affiliate, amount=amount, reference=reference,
                                paid_on=paid_on, recorded_at=clock.now(),
                                recorded_by=actor[:64])
    audit.record(actor, "referrals.payout.record", None, ["amount", "reference"],
                 f"payout:{row.pk}")
    return row
