"""An advertiser's audience: its check against the form's vocabulary, who falls in it, and the
two refusals that keep it from singling anyone out (C24).

An audience is a dict of lists (``age_bands``, ``genders``, ``countries``, ``org_types``,
``products``); an empty or missing list accepts anyone, several values any of them. Membership
is computed here, on our server, from the audiences app's attributes: the advertiser never
sees it, only "at least 100". An audience under 100 subscribers is refused, and so is one whose
membership differs from any other audience of the same advertiser by 1 to 99 subscribers: two
audiences that differ by one person would let two reports be subtracted to learn about that
person.
"""

import re

from hostpact import privacy
from hostpact.advertising import profiles
from hostpact.advertising.models import AdCampaign, AudienceMember
from hostpact.privacy.aggregates import ADVERTISER

KEYS = ("age_bands", "genders", "countries", "org_types", "products")
LABELS = {"age_bands": "Age bands", "genders": "Genders", "countries": "Countries",
          "org_types": "Organisation types", "products": "Products held"}
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class AudienceRefused(Exception):
    """The audience may not be used; ``field`` names the key at fault (or None)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def clean(audience) -> dict[str, list[str]]:
    """Return ``audience`` with every key present and values checked, or raise
    ``AudienceRefused`` naming the key."""
    if not isinstance(audience, dict):
        raise AudienceRefused("An audience is a set of lists of values.")
    unknown = sorted(set(audience) - set(KEYS))
    if unknown:
        raise AudienceRefused(f"Unknown audience field {', '.join(map(str, unknown))}: use "
                              f"{', '.join(KEYS)}.", unknown[0])
    vocab = profiles.vocabularies()
    out = {}
    for key in KEYS:
        values = audience.get(key) or []
        if isinstance(values, str) or not isinstance(values, list | tuple):
            raise AudienceRefused(f"{LABELS[key]}: give a list of values.", key)
        if key == "countries":
            values = [str(v).strip().upper() for v in values]
            bad = [v for v in values if not _COUNTRY.match(v)]
        else:
            bad = [v for v in values if v not in vocab[key]]
        if bad:
            allowed = "two-letter ISO country codes" if key == "countries" else \
                ", ".join(vocab[key])
            raise AudienceRefused(f"{LABELS[key]}: {', '.join(map(str, bad))} is not one of "
                                  f"the choices ({allowed}).", key)
        out[key] = sorted(set(values))
    return out


def matches(audience: dict, a) -> bool:
    """Return whether attributes ``a`` fall in ``audience`` (a cleaned one)."""
    checks = (("age_bands", a.age_band), ("genders", a.gender), ("countries", a.country),
              ("org_types", a.org_type))
    for key, value in checks:
        wanted = audience.get(key)
        if wanted and value not in wanted:
            return False
    wanted = audience.get("products")
    return not wanted or bool(set(wanted) & set(a.products or ()))


TARGETING = "marketing.advertising.first_party.targeted"


def members(audience: dict) -> set:
    """Return the subject ids of every subscriber in ``audience`` whose data may serve
    targeted advertising (an objection or opt-out of that use leaves them out)."""
    return {a.subject_id for a in profiles.all_attributes()
            if matches(audience, a) and privacy.allowed(a.subject_id, TARGETING)}


def refusal(campaign: AdCampaign, ids: set) -> AudienceRefused | None:
    """Return why membership ``ids`` may not serve ``campaign`` (None: it may)."""
    if len(ids) < ADVERTISER:
        return AudienceRefused(f"This audience has fewer than {ADVERTISER} subscribers: "
                               "widen it (fewer or broader choices).")
    others = (AdCampaign.objects.filter(advertiser_id=campaign.advertiser_id,
                                        audience_defined=True)
              .exclude(pk=campaign.pk).values_list("pk", flat=True))
    for other in others:
        theirs = set(AudienceMember.objects.filter(campaign_id=other)
                     .values_list("subject_id", flat=True))
        differ = len(ids ^ theirs)
        if 0 < differ < ADVERTISER:
            return AudienceRefused(
                f"This audience differs from the advertiser's audience of ad campaign {other} "
                f"by fewer than {ADVERTISER} subscribers: two such audiences could single "
                "people out. Make it the same audience or widen the difference.")
    return None
