"""Reads of the programme: a subscriber's counts per banner, an affiliate's aggregates.

A subscriber sees counts about their own codes. An affiliate sees aggregates of the customers it
brought, per month and per campaign, with every cell under ``aggregates.AFFILIATE`` suppressed
(complementary suppression included) and never a name: a commission total is shown only where
the count of paying customers behind it is shown, as one customer's commission would reveal
what they bought.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from hostpact.privacy import aggregates
from hostpact.referrals.banners import BANNERS
from hostpact.referrals.models import Attribution, Click, Commission, Earning, Reward

TEXT_LINK = "Text link (no banner)"
NO_CAMPAIGN = "(no campaign)"


@dataclass(frozen=True)
class BannerCounts:
    code: str
    banner: str
    title: str
    clicks: int
    signups: int
    credits: int
    credited: Decimal
    pending: int


def _by(qs, field: str, **extra) -> dict:
    return {row[field]: row for row in qs.values(field).annotate(**extra)}


def banner_counts(code) -> list[BannerCounts]:
    """Return the counts of ``code`` per banner (and for the plain link): clicks, sign-ups,
    credits granted and their sum, rewards still maturing."""
    clicks = _by(Click.objects.filter(code=code), "banner", n=Count("pk"))
    signups = _by(Attribution.objects.filter(code=code), "banner", n=Count("pk"))
    rewards = _by(Reward.objects.filter(code=code), "banner",
                  done=Count("pk", filter=Q(state=Earning.State.MATURED)),
                  total=Sum("amount", filter=Q(state=Earning.State.MATURED)),
                  waiting=Count("pk", filter=Q(state=Earning.State.PENDING)))
    rows = []
    for slug, title in [("", TEXT_LINK), *((b.slug, b.title) for b in BANNERS.values())]:
        reward = rewards.get(slug, {})
        rows.append(BannerCounts(
            code.code, slug, title, clicks.get(slug, {}).get("n", 0),
            signups.get(slug, {}).get("n", 0), reward.get("done", 0),
            reward.get("total") or Decimal("0.00"), reward.get("waiting", 0)))
    return rows


@dataclass(frozen=True)
class ReportRow:
    label: str
    clicks: int | None
    signups: int | None
    paying: int | None
    commission: Decimal | None


@dataclass(frozen=True)
class Report:
    rows: list[ReportRow]
    totals: ReportRow


def _column(counts: dict, labels: list) -> tuple[dict, int | None]:
    cells, total = aggregates.suppress({k: counts.get(k, 0) for k in labels},
                                       aggregates.AFFILIATE)
    return {c.label: c.count for c in cells}, total


def _report(clicks: dict, signups: dict, paying: dict, amounts: dict, label) -> Report:
    keys = sorted(set(clicks) | set(signups) | set(paying))
    shown_clicks, total_clicks = _column(clicks, keys)
    shown_signups, total_signups = _column(signups, keys)
    shown_paying, total_paying = _column(paying, keys)
    rows = []
    for key in keys:
        people = shown_paying[key]
        money = amounts.get(key, Decimal("0.00")) if people else (
            Decimal("0.00") if people == 0 else None)
        rows.append(ReportRow(label(key), shown_clicks[key], shown_signups[key], people, money))
    total_money = (sum(amounts.values(), Decimal("0.00"))
                   if total_paying is not None else None)
    return Report(rows, ReportRow("Total", total_clicks, total_signups, total_paying,
                                  total_money))


def _counted(qs, key: str, *, distinct: str = "pk") -> dict:
    return {row[key]: row["n"] for row in
            qs.values(key).annotate(n=Count(distinct, distinct=True)).order_by()}


def _earned(affiliate):
    return Commission.objects.filter(affiliate=affiliate).exclude(
        state=Earning.State.CLAWED_BACK)


def monthly_report(affiliate) -> Report:
    """Return ``affiliate``'s clicks, sign-ups, paying customers and commissions per month."""
    clicks = _counted(Click.objects.filter(code__affiliate=affiliate)
                      .annotate(month=TruncMonth("at")), "month")
    signups = _counted(Attribution.objects.filter(code__affiliate=affiliate,
                                                  event=Attribution.Event.SIGNUP)
                       .annotate(month=TruncMonth("at")), "month")
    earned = _earned(affiliate).annotate(month=TruncMonth("earned_at"))
    paying = _counted(earned, "month", distinct="attribution__user")
    amounts = {row["month"]: row["s"] for row in
               earned.values("month").annotate(s=Sum("amount")).order_by()}
    return _report(clicks, signups, paying, amounts, lambda m: m.strftime("%Y-%m"))


def campaign_report(affiliate) -> Report:
    """Return the same aggregates per campaign (``utm_campaign``)."""
    clicks = _counted(Click.objects.filter(code__affiliate=affiliate), "utm_campaign")
    signups = _counted(Attribution.objects.filter(code__affiliate=affiliate,
                                                  event=Attribution.Event.SIGNUP),
                       "utm_campaign")
    earned = _earned(affiliate)
    paying = _counted(earned, "campaign", distinct="attribution__user")
    amounts = {row["campaign"]: row["s"] for row in
               earned.values("campaign").annotate(s=Sum("amount")).order_by()}
    return _report(clicks, signups, paying, amounts, lambda c: c or NO_CAMPAIGN)
