"""The advertiser's report: impressions and clicks per day, every count under 100 suppressed.

Each column is suppressed with ``privacy.aggregates.suppress`` at the advertiser's threshold,
so a lone small day also hides the next smallest (complementary suppression) and the total is
given only when it cannot reveal a hidden day. The same figures are shown to staff and, through
the disclosure gate, downloaded for the advertiser.
"""

from dataclasses import dataclass

from django.db.models import Sum

from hostpact.advertising.models import AdCampaign, AdDay
from hostpact.privacy.aggregates import ADVERTISER, suppress

HIDDEN = "suppressed"


@dataclass(frozen=True)
class Row:
    day: object
    impressions: str
    clicks: str


@dataclass(frozen=True)
class Report:
    rows: list[Row]
    impressions_total: str
    clicks_total: str
    threshold: int = ADVERTISER


def _shown(n) -> str:
    return HIDDEN if n is None else str(n)


def report(campaign: AdCampaign) -> Report:
    """Return ``campaign``'s report with small cells suppressed."""
    days = list(AdDay.objects.filter(campaign=campaign).values("day")
                .annotate(i=Sum("impressions"), c=Sum("clicks")).order_by("day"))
    labels = [d["day"].isoformat() for d in days]
    imp, imp_total = suppress(dict(zip(labels, (d["i"] for d in days), strict=True)), ADVERTISER)
    clk, clk_total = suppress(dict(zip(labels, (d["c"] for d in days), strict=True)), ADVERTISER)
    rows = [Row(d["day"], i.shown, c.shown) for d, i, c in zip(days, imp, clk, strict=True)]
    return Report(rows, _shown(imp_total), _shown(clk_total))
