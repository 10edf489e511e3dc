"""The writes of the advertising app: campaigns, audiences, creatives, their states, the daily
counters and the advertiser's report (C24).

Each is a named function in one transaction with its audit event, except the two counters
(an impression, a click): they are counts about no one, bumped by one UPDATE on a hot path, and
an audit event per page view would cost more than the page. The advertiser's report leaves
only after ``privacy.disclose()`` returned, as an aggregate about no subject.
"""

import csv
import hashlib
import io
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.db.models import F

from hostpact import privacy
from hostpact.advertising import audience as audience_
from hostpact.advertising import images
from hostpact.advertising.audience import AudienceRefused
from hostpact.advertising.models import AdCampaign, AdDay, AudienceMember, Creative
from hostpact.core import audit, clock
from hostpact.privacy.disclosures.models import Recipient

MAX_BYTES = 150 * 1024
MAX_SIDE = 1200
REPORT_PURPOSE = "analytics.reporting.ad_performance"
AGGREGATE = "system.aggregate"
__all__ = ["AudienceRefused", "CampaignRefused"]


class CampaignRefused(Exception):
    """A campaign step was refused; ``field`` names the field at fault. Nothing changed."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def advertisers():
    """Return the active advertiser recipients."""
    return Recipient.objects.filter(kind=Recipient.Kind.ADVERTISER, active=True)


def _valid_agreement(recipient) -> bool:
    today = clock.today()
    return any(a.kind == a.Kind.ADVERTISING and a.valid_on(today)
               for a in recipient.agreements.all())


def create_campaign(advertiser, name: str, starts_on, ends_on=None, *, actor: str) -> AdCampaign:
    """Create a draft campaign of ``advertiser`` (a Recipient of kind advertiser with a valid
    advertising agreement)."""
    if getattr(advertiser, "kind", None) != Recipient.Kind.ADVERTISER or not advertiser.active:
        raise CampaignRefused("Choose an active advertiser.", "advertiser")
    if not _valid_agreement(advertiser):
        raise CampaignRefused(f"{advertiser.name} has no advertising agreement valid today.",
                              "advertiser")
    name = (name or "").strip()
    if not name:
        raise CampaignRefused("Give the campaign a name.", "name")
    if ends_on is not None and ends_on < starts_on:
        raise CampaignRefused("The end date is before the start date.", "ends_on")
    with transaction.atomic():
        campaign = AdCampaign.objects.create(advertiser=advertiser, name=name[:120],
                                             starts_on=starts_on, ends_on=ends_on,
                                             created_at=clock.now())
        audit.record(actor, "advertising.campaign.create", None, [], f"ad_campaign:{campaign.pk}")
    return campaign


def _store_members(campaign: AdCampaign, ids: set) -> None:
    AudienceMember.objects.filter(campaign=campaign).delete()
    rows = [AudienceMember(campaign=campaign, subject_id=sid) for sid in ids]
    AudienceMember.objects.bulk_create(rows, batch_size=1000)


def define_audience(campaign: AdCampaign, audience: dict, *, actor: str) -> AdCampaign:
    """Check ``audience`` and store its membership on a draft ``campaign``; raise
    ``AudienceRefused`` (nothing changed) for a bad value, fewer than 100 subscribers, or a
    membership 1 to 99 subscribers away from another audience of the advertiser."""
    if campaign.state != AdCampaign.State.DRAFT:
        raise AudienceRefused("Only a draft campaign's audience can be changed.")
    cleaned = audience_.clean(audience)
    ids = audience_.members(cleaned)
    with transaction.atomic():
        campaign = AdCampaign.objects.select_for_update().get(pk=campaign.pk)
        refused = audience_.refusal(campaign, ids)
        if refused is not None:
            raise refused
        _store_members(campaign, ids)
        campaign.audience, campaign.audience_defined = cleaned, True
        campaign.member_count = len(ids)
        campaign.save(update_fields=["audience", "audience_defined", "member_count"])
        audit.record(actor, "advertising.audience.define", None, [],
                     f"ad_campaign:{campaign.pk}")
    return campaign


def refresh_audience(campaign: AdCampaign, *, actor: str) -> AdCampaign:
    """Recompute a campaign's membership from today's answers under the same refusals."""
    ids = audience_.members(campaign.audience)
    with transaction.atomic():
        campaign = AdCampaign.objects.select_for_update().get(pk=campaign.pk)
        refused = audience_.refusal(campaign, ids)
        if refused is not None:
            raise refused
        _store_members(campaign, ids)
        campaign.member_count = len(ids)
        campaign.save(update_fields=["member_count"])
        audit.record(actor, "advertising.audience.refresh", None, [],
                     f"ad_campaign:{campaign.pk}")
    return campaign


def leave_audiences(subject_id, actor: str) -> bool:
    """Take a subscriber out of every audience (they objected to targeted advertising);
    return whether they were in any. A later refresh leaves them out too."""
    with transaction.atomic():
        deleted, _ = AudienceMember.objects.filter(subject_id=subject_id).delete()
        if deleted:
            audit.record(actor, "advertising.audience.leave", subject_id, ["campaign"],
                         "audience_member")
    return bool(deleted)


def check_url(url: str) -> str:
    """Return ``url`` if it is an http(s) URL with a host and no credentials, else raise."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise CampaignRefused("The link is not a valid URL.", "target_url") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise CampaignRefused("The link must be an https:// or http:// URL with a host.",
                              "target_url")
    if parts.username is not None or parts.password is not None:
        raise CampaignRefused("The link must not carry a user name or password.", "target_url")
    if len(url) > 500 or any(c.isspace() for c in url):
        raise CampaignRefused("The link is too long or has spaces.", "target_url")
    return url


def upload_creative(campaign: AdCampaign, file, alt: str, url: str, *, actor: str) -> Creative:
    """Store an image and link for ``campaign``: PNG, JPEG, GIF or WebP (read from its bytes),
    at most 150 KB and 1200×1200 pixels; raise ``CampaignRefused`` naming the field."""
    alt = (alt or "").strip()
    if not alt:
        raise CampaignRefused("Describe the image for people who cannot see it.", "alt_text")
    target = check_url(url)
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise CampaignRefused(f"The image is larger than {MAX_BYTES // 1024} KB.", "image")
    data = file.read(MAX_BYTES + 1) if hasattr(file, "read") else bytes(file)
    if len(data) > MAX_BYTES:
        raise CampaignRefused(f"The image is larger than {MAX_BYTES // 1024} KB.", "image")
    try:
        info = images.inspect(data)
    except images.NotAnImage as exc:
        raise CampaignRefused(str(exc), "image") from None
    if info.width > MAX_SIDE or info.height > MAX_SIDE:
        raise CampaignRefused(f"The image is {info.width}×{info.height} pixels; at most "
                              f"{MAX_SIDE}×{MAX_SIDE}.", "image")
    with transaction.atomic():
        creative = Creative.objects.create(
            campaign=campaign, image=data, content_type=info.content_type,
            extension=info.extension, width=info.width, height=info.height,
            sha256=hashlib.sha256(data).hexdigest(), alt_text=alt[:200], target_url=target,
            created_at=clock.now())
        audit.record(actor, "advertising.creative.upload", None, [], f"creative:{creative.pk}")
    return creative


def _move(campaign: AdCampaign, to: str, allowed_from, actor: str) -> AdCampaign:
    with transaction.atomic():
        campaign = AdCampaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.state not in allowed_from:
            raise CampaignRefused(f"A {campaign.get_state_display().lower()} campaign cannot "
                                  f"become {to}.")
        campaign.state = to
        campaign.save(update_fields=["state"])
        audit.record(actor, f"advertising.campaign.{to}", None, [], f"ad_campaign:{campaign.pk}")
    return campaign


def activate_campaign(campaign: AdCampaign, *, actor: str) -> AdCampaign:
    """Start showing a campaign: it needs an audience and a creative, and its membership is
    computed again now (under the same refusals)."""
    S = AdCampaign.State
    if not campaign.audience_defined:
        raise CampaignRefused("Define the audience first.")
    if not campaign.creatives.exists():
        raise CampaignRefused("Upload a creative first.")
    if not _valid_agreement(campaign.advertiser):
        raise CampaignRefused("The advertiser has no advertising agreement valid today.")
    with transaction.atomic():
        refresh_audience(campaign, actor=actor)
        return _move(campaign, S.ACTIVE, (S.DRAFT, S.PAUSED), actor)


def pause_campaign(campaign: AdCampaign, *, actor: str) -> AdCampaign:
    """Stop showing an active campaign for now."""
    return _move(campaign, AdCampaign.State.PAUSED, (AdCampaign.State.ACTIVE,), actor)


def end_campaign(campaign: AdCampaign, *, actor: str) -> AdCampaign:
    """End a campaign for good (its counts and membership stay for the report and
    differencing)."""
    S = AdCampaign.State
    return _move(campaign, S.ENDED, (S.DRAFT, S.ACTIVE, S.PAUSED), actor)


def _bump(campaign_id: int, creative_id: int, day, column: str) -> None:
    # One UPDATE in the common case; the day's first view inserts (a racing insert loses to
    # the unique constraint and updates instead).
    if AdDay.objects.filter(creative_id=creative_id, day=day).update(**{column: F(column) + 1}):
        return
    try:
        with transaction.atomic():
            AdDay.objects.create(campaign_id=campaign_id, creative_id=creative_id, day=day,
                                 **{column: 1})
    except IntegrityError:
        AdDay.objects.filter(creative_id=creative_id, day=day).update(**{column: F(column) + 1})


def record_impression(campaign_id: int, creative_id: int, day) -> None:
    """Count one showing of a creative on ``day`` (a count about no one)."""
    _bump(campaign_id, creative_id, day, "impressions")


def record_click(campaign_id: int, creative_id: int, day) -> None:
    """Count one click on a creative shown on ``day``."""
    _bump(campaign_id, creative_id, day, "clicks")


def download_report(campaign: AdCampaign, *, actor: str) -> str:
    """Return the advertiser's report as CSV, after the disclosure gate let it go as an
    aggregate about no one; raise ``DisclosureRefused`` (nothing produced) otherwise."""
    from hostpact.advertising import report

    privacy.disclose(campaign.advertiser, [], [AGGREGATE], REPORT_PURPOSE, "", actor=actor,
                     reference=f"ad report: campaign {campaign.pk}")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["day", "impressions", "clicks"])
    shown = report.report(campaign)
    for row in shown.rows:
        writer.writerow([row.day.isoformat(), row.impressions, row.clicks])
    writer.writerow(["total", shown.impressions_total, shown.clicks_total])
    return out.getvalue()
