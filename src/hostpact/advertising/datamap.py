"""Data-map declarations of the advertising app (C24).

A campaign and its creatives are what an advertiser supplied through staff: no subscriber's
data. Audience membership is derived personal data: which campaign's audience a subscriber's
answers put them in, computed on our server and never given to the advertiser; it serves
first-party targeted advertising only, is kept while the account is open and deleted at
erasure. The daily counts are aggregates about no one, proprietary (policy 3.1).
"""

from hostpact.advertising.audience import TARGETING
from hostpact.advertising.models import AdCampaign, AdDay, AudienceMember, Creative
from hostpact.advertising.services import leave_audiences
from hostpact.privacy import objections, registry
from hostpact.privacy.registry import (
    Erasure,
    declare,
    declare_proprietary,
    not_personal,
    personal,
)

_advertiser = "supplied by the advertiser through staff; no subscriber's data"
declare(
    AdCampaign,
    id=not_personal(), advertiser=not_personal("the advertiser recipient's id"),
    name=not_personal(_advertiser),
    audience=not_personal("the attribute values the advertiser named; no one's answers"),
    audience_defined=not_personal(),
    member_count=not_personal("a count over many, shown to staff only as at least 100"),
    starts_on=not_personal(), ends_on=not_personal(), state=not_personal(),
    created_at=not_personal(),
)
declare(
    Creative,
    **dict.fromkeys(("id", "campaign", "image", "content_type", "extension", "width", "height",
                     "sha256", "alt_text", "target_url", "created_at"),
                    not_personal(_advertiser)),
)
declare(
    AudienceMember,
    id=not_personal(), subject=not_personal(),
    campaign=personal("user.demographic.profile", label="In the audience of ad campaign",
                      purposes=(TARGETING,),
                      retention="account", erasure=Erasure.DELETE),
)
_counts = "impressions and clicks per creative and day: counts about no one"
declare_proprietary(AdDay, _counts)

# An objection to targeted advertising (a verified request) takes the person out of every
# audience at once; the membership computation leaves them out from then on.
objections.objection_handler(TARGETING, leave_audiences)
registry.section(AudienceMember, "Ad audiences you are in (computed by us, never shared)",
                 order=96)
registry.back_office("advertising", roles=("marketing", "compliance"))
