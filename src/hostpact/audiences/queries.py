"""What is known of a subscriber's demographics, for the aggregate profiles and the audiences
advertisers name: the subscriber's own answers first, then their registration data.

Nothing else in the platform reads the answers: the panel, billing and the rest work the same
for someone who answered nothing. ``all_attributes`` reads every subscriber in chunks, with the
chunk's data keys unwrapped in one query, so 100,000 subscribers cost a few hundred queries.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from hostpact.accounts.models import Profile, User
from hostpact.audiences import questions
from hostpact.audiences.models import Answers
from hostpact.billing.models import Service
from hostpact.core import clock, crypto
from hostpact.core.models import DataKey

ANSWER_FIELDS = ("subject_id", "age_band", "gender", "country", "org_type", "org_size")


@dataclass(frozen=True)
class Attributes:
    subject_id: uuid.UUID
    age_band: str | None
    gender: str | None
    country: str | None  # ISO 3166-1 alpha-2, upper case
    org_type: str | None
    org_size: str | None
    products: frozenset[str]  # product kinds of active services


def _combine(subject_id, answer: tuple | None, profile: tuple | None, products, today):
    _, age_band, gender, country, org_type, org_size = answer or (subject_id,) + (None,) * 5
    registered_country, born = profile or (None, None)
    country = (country or registered_country or "").strip().upper() or None
    return Attributes(subject_id, age_band or questions.age_band_of(born, today), gender or None,
                      country, org_type or None, org_size or None, frozenset(products))


def _products(subject_ids) -> dict:
    held: dict = {}
    rows = Service.objects.filter(subject_id__in=subject_ids, status=Service.Status.ACTIVE)
    for subject_id, kind in rows.values_list("subject_id", "product__kind").distinct():
        held.setdefault(subject_id, set()).add(kind)
    return held


def attributes_of(subject_id) -> Attributes:
    """Return what is known of one subscriber (the form's answers before registration data)."""
    subject_id = uuid.UUID(str(subject_id))
    answer = Answers.objects.filter(subject_id=subject_id).values_list(*ANSWER_FIELDS).first()
    profile = Profile.objects.filter(subject_id=subject_id).values_list(
        "country", "date_of_birth").first()
    return _combine(subject_id, answer, profile, _products([subject_id]).get(subject_id, ()),
                    clock.today())


def _preload_keys(subject_ids: list) -> None:
    """Unwrap the chunk's account keys into the key cache in one query (as campaign sending
    does), so decrypting the chunk's profiles and answers needs no query per subscriber."""
    klass = crypto.DEFAULT_CLASS
    wanted = [s for s in subject_ids if not crypto.key_cache.get(s, klass)]
    rows = DataKey.objects.filter(subject_id__in=wanted, retention_class=klass,
                                  shredded_at__isnull=True, wrapped__isnull=False)
    for subject_id, key_id, wrapped in rows.values_list("subject_id", "master_key_id",
                                                         "wrapped"):
        crypto.key_cache.put(subject_id, klass, crypto.unwrap(key_id, bytes(wrapped)))


def all_attributes(chunk: int = 2000) -> Iterator[Attributes]:
    """Yield the attributes of every active subscriber (staff excluded), in sign-up order."""
    today = clock.today()
    users = User.objects.filter(is_active=True, is_staff=False).order_by("pk")
    last = 0
    while True:
        batch = list(users.filter(pk__gt=last).values_list("pk", "subject_id")[:chunk])
        if not batch:
            return
        last = batch[-1][0]
        ids = [s for _, s in batch]
        _preload_keys(ids)
        answers = {row[0]: row for row in Answers.objects.filter(subject_id__in=ids)
                   .values_list(*ANSWER_FIELDS)}
        profiles = {s: (c, d) for s, c, d in Profile.objects.filter(subject_id__in=ids)
                    .values_list("subject_id", "country", "date_of_birth")}
        held = _products(ids)
        for subject_id in ids:
            yield _combine(subject_id, answers.get(subject_id), profiles.get(subject_id),
                           held.get(subject_id, ()), today)
