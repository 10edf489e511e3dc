"""Data-map declarations of the referrals app, and its cookie.

A subscriber's code and what it earned are theirs (account data, deleted at erasure); an
attribution says how a subscriber found us, which is theirs too. A click holds no address, no
user agent and no cookie id, only the code, the time, the banner and the campaign, so it is
not personal; nor is anything about affiliates, which are businesses, or their commissions
and payouts (tied to a customer only through billing's order). ``hp_ref`` is an advertising
cookie: it is set only with advertising consent, and holds the code and the click id, signed.
"""

from hostpact.privacy import registry
from hostpact.privacy.cookies import ADVERTISING, declare_cookie
from hostpact.privacy.registry import Erasure, declare, not_personal, personal
from hostpact.referrals.links import COOKIE, COOKIE_DAYS
from hostpact.referrals.models import (
    UTM_FIELDS,
    Affiliate,
    Attribution,
    Click,
    Commission,
    CommissionRule,
    Payout,
    ReferralCode,
    Reward,
    RewardRule,
)

declare_cookie(COOKIE, category=ADVERTISING, max_age=COOKIE_DAYS * 86400,
               purpose="Credits the subscriber, affiliate or campaign whose link brought you "
                       "when you sign up or order: the referral code and the click, signed.")

_ads = ("marketing.advertising.first_party",)
_mine = dict(purposes=_ads, retention="account", erasure=Erasure.DELETE)
_campaign = "a campaign's parameters, validated short tokens (never an email address)"

declare(
    ReferralCode,
    id=not_personal(), user=not_personal(), subject=not_personal(), affiliate=not_personal(),
    code=personal("user.unique_id.pseudonymous", label="Referral code", **_mine),
    label=personal("user.content", label="Referral code label", **_mine),
    active=not_personal(), created_at=not_personal(),
)
declare(
    Click,
    id=not_personal(), code=not_personal("which code was clicked"),
    at=not_personal("when; no address, user agent or cookie id is kept"),
    banner=not_personal("which banner design"),
    **dict.fromkeys(UTM_FIELDS, not_personal(_campaign)),
)
_came = dict(label="How you found us", **_mine)
declare(
    Attribution,
    id=not_personal(), user=not_personal(), subject=not_personal(), click=not_personal(),
    code=personal("user.behavior.browsing_history", **_came),
    via=personal("user.behavior.browsing_history", **_came),
    event=personal("user.behavior.browsing_history", **_came),
    banner=personal("user.behavior.browsing_history", **_came),
    at=personal("user.behavior.browsing_history", **_came),
    **{f: personal("user.behavior.browsing_history", **_came) for f in UTM_FIELDS},
)
_rule = "the programme's terms, the same for everyone"
declare(RewardRule, **{f: not_personal(_rule) for f in (
    "id", "product", "domains", "kind", "value", "active")})
declare(CommissionRule, **{f: not_personal(_rule) for f in (
    "id", "affiliate", "percent", "active")})
_earned = dict(label="Banner reward", **_mine)
declare(
    Reward,
    id=not_personal(), order=not_personal(), attribution=not_personal(), code=not_personal(),
    referrer=not_personal(), subject=not_personal(), credit_id=not_personal(),
    amount=personal("user.financial", **_earned),
    currency=not_personal(), banner=not_personal("which banner design"),
    state=personal("user.financial", **_earned),
    earned_at=personal("user.financial", **_earned),
    matures_at=personal("user.financial", **_earned),
    settled_at=personal("user.financial", **_earned),
)
_business = "about a business partner, not a person"
declare(Affiliate, id=not_personal(), contact_user=not_personal(), recipient=not_personal(),
        **{f: not_personal(_business) for f in (
            "name", "kind", "agreement_reference", "agreement_from", "agreement_until",
            "active", "created_at")})
_commission = "the affiliate's earning; the order it came from is billing's"
declare(Commission, id=not_personal(), order=not_personal(), attribution=not_personal(),
        affiliate=not_personal(), **{f: not_personal(_commission) for f in (
            "amount", "currency", "state", "earned_at", "matures_at", "settled_at",
            "campaign")})
declare(Payout, **{f: not_personal(_business) for f in (
    "id", "affiliate", "amount", "currency", "reference", "paid_on", "recorded_at",
    "recorded_by")})

registry.section(ReferralCode, "Banner rewards: your referral codes", order=80)
registry.section(Reward, "Banner rewards earned", order=81)
registry.section(Attribution, "How you found us", order=82)
registry.back_office("referrals", roles=("billing", "marketing", "compliance"))
