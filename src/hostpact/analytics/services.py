"""Writes of the analytics app: the demographic snapshot and the destruction of visit salts.

Subscribers' countries and dates of birth are encrypted, so the dashboard does not read them on
each view: ``snapshot_demographics`` counts them once (a periodic task) into
``DemographicCount``, broad bands only, and the dashboard shows the cells with those under 10
suppressed. ``destroy_visit_salts`` ends the cookieless hashes' link to addresses (C07).
"""

import datetime

from django.db import transaction

from hostpact.accounts.queries import subscriber_demographics
from hostpact.analytics import visits
from hostpact.analytics.models import DemographicCount
from hostpact.core import audit, clock

ACTOR = "system:analytics"
UNKNOWN = "unknown"
# (lowest age, label); a band runs to the next one's lowest age.
AGE_BANDS = ((0, "under 18"), (18, "18-24"), (25, "25-34"), (35, "35-44"), (45, "45-54"),
             (55, "55-64"), (65, "65 and over"))


def age_band(born: datetime.date | None, today: datetime.date) -> str:
    """Return the age band of someone born on ``born`` (``UNKNOWN`` without a date, or for
    a date in the future)."""
    if born is None or born > today:
        return UNKNOWN
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    label = UNKNOWN
    for lowest, name in AGE_BANDS:
        if age >= lowest:
            label = name
    return label


def country_label(country: str | None) -> str:
    """Return the country as its upper-case code, ``UNKNOWN`` when missing or malformed."""
    code = (country or "").strip().upper()
    return code if len(code) == 2 and code.isalpha() else UNKNOWN


def snapshot_demographics() -> int:
    """Replace the demographic snapshot with today's counts; return how many subscribers
    were counted."""
    today = clock.today()
    countries: dict[str, int] = {}
    ages: dict[str, int] = {}
    total = 0
    for country, born in subscriber_demographics():
        total += 1
        c, a = country_label(country), age_band(born, today)
        countries[c] = countries.get(c, 0) + 1
        ages[a] = ages.get(a, 0) + 1
    taken = clock.now()
    cells = [DemographicCount(taken_at=taken, dimension=dimension, label=label, count=n)
             for dimension, counts in ((DemographicCount.Dimension.COUNTRY, countries),
                                       (DemographicCount.Dimension.AGE_BAND, ages))
             for label, n in counts.items()]
    with transaction.atomic():
        DemographicCount.objects.all().delete()
        DemographicCount.objects.bulk_create(cells)
        audit.record(ACTOR, "analytics.demographics.snapshot", None, [],
                     f"subscribers:{total}")
    return total


def destroy_visit_salts() -> int:
    """Destroy the visit salts older than 48 hours; return how many."""
    with transaction.atomic():
        n = visits.destroy_old_salts()
        if n:
            audit.record(ACTOR, "analytics.visit_salt.destroy", None, [], f"salts:{n}")
    return n
