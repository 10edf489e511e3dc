"""Which ad a page shows, chosen on the server for the signed-in subscriber (C24).

An ad is shown only to a signed-in, non-staff subscriber whose request's consent grants
advertising and who is in an active campaign's audience (membership computed on our server).
The page gets our image URL and our click redirect, nothing about the audience: a reader of the
HTML, the advertiser included, learns neither who was targeted nor why.

It is on every dashboard view, so it is cheap: the active campaigns and their creatives are held
in-process for a few seconds, membership is one indexed query, and the impression one UPDATE.
"""

import itertools
import time
import zlib
from dataclasses import dataclass

from django.core import signing

from hostpact.advertising import services
from hostpact.advertising.models import AdCampaign, AudienceMember, Creative
from hostpact.consent import state
from hostpact.core import clock

CACHE_SECONDS = 5.0
SALT = "hostpact.advertising.click"
PLACEMENTS = ("dashboard", "storefront")
_rotation = itertools.count()


@dataclass(frozen=True)
class Shown:
    """What a slot renders: our image URL parts, the alt text and the click token."""

    creative_id: int
    extension: str
    alt_text: str
    width: int
    height: int
    token: str


@dataclass(frozen=True)
class _Live:
    campaign_id: int
    creatives: tuple  # (id, extension, alt, width, height)


_cache: dict = {"at": -1e9, "day": None, "live": {}}


def clear_cache() -> None:
    """Forget the cached campaigns (tests, and right after a state change here)."""
    _cache.update(at=-1e9, day=None, live={})


def _live(day) -> dict[int, _Live]:
    now = time.monotonic()
    if _cache["day"] == day and now - _cache["at"] < CACHE_SECONDS:
        return _cache["live"]
    campaigns = (AdCampaign.objects.filter(state=AdCampaign.State.ACTIVE, starts_on__lte=day)
                 .exclude(ends_on__lt=day).values_list("pk", flat=True))
    by_campaign: dict[int, list] = {}
    for row in (Creative.objects.filter(campaign_id__in=list(campaigns)).order_by("pk")
                .values_list("campaign_id", "pk", "extension", "alt_text", "width", "height")):
        by_campaign.setdefault(row[0], []).append(row[1:])
    live = {cid: _Live(cid, tuple(rows)) for cid, rows in by_campaign.items()}
    _cache.update(at=now, day=day, live=live)
    return live


def make_token(creative_id: int, day) -> str:
    """Return the signed click token of a creative shown on ``day``."""
    return signing.dumps([creative_id, day.toordinal()], salt=SALT, compress=False)


def read_token(token: str):
    """Return (creative id, day ordinal) of a token, or None when it is forged or malformed."""
    try:
        creative_id, ordinal = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(creative_id, int) and isinstance(ordinal, int)) or ordinal < 1:
        return None
    return creative_id, ordinal


def ad_for(request, placement: str) -> Shown | None:
    """Return the ad for this request's slot ``placement``, counting its impression, or None."""
    user = getattr(request, "user", None)
    if (placement not in PLACEMENTS or user is None or not user.is_authenticated
            or user.is_staff or not user.is_active):
        return None
    if not state.of(request).allows("advertising"):
        return None
    day = clock.today()
    live = _live(day)
    if not live:
        return None
    subject_id = user.subject_id
    mine = sorted(AudienceMember.objects.filter(subject_id=subject_id, campaign_id__in=list(live))
                  .values_list("campaign_id", flat=True))
    candidates = [(cid, c) for cid in mine for c in live[cid].creatives]
    if not candidates:
        return None
    # Fair rotation: a start that differs by subscriber and day, then the next one each view.
    seed = zlib.crc32(f"{subject_id}:{day.toordinal()}".encode())
    campaign_id, (creative_id, ext, alt, width, height) = candidates[
        (seed + next(_rotation)) % len(candidates)]
    services.record_impression(campaign_id, creative_id, day)
    return Shown(creative_id, ext, alt, width, height, make_token(creative_id, day))
