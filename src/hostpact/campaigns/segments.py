"""Who a campaign reaches: the segment's rules, checked, and the subscribers they select.

A segment narrows a list by product (an active service of that product), the country of the
subscriber's address, and the sign-up date. Whom the list itself may reach (subscribed, not
suppressed, no policy opt-out) is marketing's answer (``marketing.services.recipients``), asked
at counting, at queueing, and again for each batch at sending, so the count staff see is
who it would reach at that moment.
"""

from datetime import date, datetime, time

from django.utils import timezone

from hostpact.accounts.models import Profile, User
from hostpact.billing.models import Product, Service
from hostpact.marketing import lists
from hostpact.marketing import services as marketing

SEGMENT_KEYS = ("product", "country", "signed_up_after", "signed_up_before")
CHUNK = 5000


class SegmentInvalid(ValueError):
    """A segment or list staff gave is not valid; ``field`` names the part at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def promotional_lists() -> list:
    """Return the lists a campaign may go to (the promotional ones)."""
    return [m for m in lists.all_lists() if m.promotional]


def check_list(list_key: str) -> str:
    """Return ``list_key`` if it names a promotional list; raise ``SegmentInvalid`` otherwise."""
    keys = [m.key for m in promotional_lists()]
    if list_key not in keys:
        raise SegmentInvalid("list_key", f"Choose one of the promotional lists: "
                                         f"{', '.join(keys)}.")
    return list_key


def _date(field: str, value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise SegmentInvalid(field, f"{field}: give a date as YYYY-MM-DD.") from None


def clean_segment(segment: dict | None) -> dict:
    """Return ``segment`` checked and normalised (empty parts left out); raise
    ``SegmentInvalid`` naming the first part that is wrong."""
    segment = dict(segment or {})
    unknown = sorted(set(segment) - set(SEGMENT_KEYS))
    if unknown:
        raise SegmentInvalid(unknown[0], f"Unknown segment rule {unknown[0]!r}; the rules are "
                                         f"{', '.join(SEGMENT_KEYS)}.")
    out = {}
    product = str(segment.get("product") or "").strip()
    if product:
        if not Product.objects.filter(code=product).exists():
            raise SegmentInvalid("product", f"No product has the code {product!r}.")
        out["product"] = product
    country = str(segment.get("country") or "").strip().upper()
    if country:
        if len(country) != 2 or not country.isalpha():
            raise SegmentInvalid("country", "country: give a two-letter country code (IN).")
        out["country"] = country
    for key in ("signed_up_after", "signed_up_before"):
        if segment.get(key):
            out[key] = _date(key, segment[key])
    if ("signed_up_after" in out and "signed_up_before" in out
            and out["signed_up_after"] >= out["signed_up_before"]):
        raise SegmentInvalid("signed_up_before", "signed_up_before must come after "
                                                 "signed_up_after.")
    return out


def _midnight(day: str) -> datetime:
    return timezone.make_aware(datetime.combine(date.fromisoformat(day), time.min))


def candidates(segment: dict, realm_id: int | None = None) -> list:
    """Return the subject ids of active subscribers of ``realm_id`` (None: the platform's own
    customers) the segment selects, in sign-up order (before asking marketing who may receive
    the list). Another realm's accounts are never selected: they never see another brand."""
    users = User.objects.filter(is_active=True, is_staff=False, realm_id=realm_id)
    if segment.get("signed_up_after"):  # on or after that day
        users = users.filter(date_joined__gte=_midnight(segment["signed_up_after"]))
    if segment.get("signed_up_before"):  # before that day began
        users = users.filter(date_joined__lt=_midnight(segment["signed_up_before"]))
    if segment.get("product"):
        users = users.filter(subject_id__in=Service.objects.filter(
            product__code=segment["product"], status=Service.Status.ACTIVE,
        ).values("subject_id"))
    ids = list(users.order_by("pk").values_list("subject_id", flat=True))
    if segment.get("country"):
        # The country is encrypted per subscriber, so it is compared after decryption.
        wanted = segment["country"]
        chosen = set()
        for start in range(0, len(ids), CHUNK):
            rows = Profile.objects.filter(subject_id__in=ids[start:start + CHUNK])
            chosen.update(s for s, c in rows.values_list("subject_id", "country")
                          if (c or "").upper() == wanted)
        ids = [s for s in ids if s in chosen]
    return ids


def eligible(list_key: str, subject_ids: list) -> list:
    """Return those of ``subject_ids`` who may receive ``list_key`` now, in the given order."""
    allowed = set()
    for start in range(0, len(subject_ids), CHUNK):
        allowed.update(str(s) for s in
                       marketing.recipients(list_key, subject_ids[start:start + CHUNK]))
    return [s for s in subject_ids if str(s) in allowed]


def reach(list_key: str, segment: dict, realm_id: int | None = None) -> list:
    """Return the subject ids a campaign of ``realm_id`` to ``list_key`` with ``segment``
    would reach now."""
    return eligible(check_list(list_key), candidates(clean_segment(segment), realm_id))


def count_segment(list_key: str, segment: dict | None, realm_id: int | None = None) -> int:
    """Return how many subscribers a campaign to ``list_key`` with ``segment`` reaches now."""
    return len(reach(list_key, segment or {}, realm_id))
