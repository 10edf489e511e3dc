"""Business days: deadlines counted in working days on a country's public-holiday calendar.

Promises such as "answer within 10 business days" skip weekends and the country's public
holidays (the ``holidays`` package). The country is a parameter because resellers work on
their own country's calendar; the platform's own deadlines use India's.

A deadline is computed for every removal request a reseller makes, and a day-by-day walk with a
holiday lookup per day is slow at that scale, so each (country, year) is turned once into the
sorted ordinals of its business days: counting n business days is then a binary search and an
index, year by year.
"""

from bisect import bisect_right
from datetime import date, timedelta
from functools import lru_cache

import holidays

WEEKEND = (5, 6)  # Saturday, Sunday


@lru_cache(maxsize=64)
def _holidays(country: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, years=year))


@lru_cache(maxsize=512)
def _business_ordinals(country: str, year: int) -> tuple[int, ...]:
    """The ordinals of ``year``'s business days in ``country``, in order."""
    off = _holidays(country, year)
    first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    return tuple(o for o in range(first, last + 1)
                 if (o - 1) % 7 not in WEEKEND and date.fromordinal(o) not in off)


def is_business_day(day: date, country: str = "IN") -> bool:
    """Return True if ``day`` is neither a weekend day nor a public holiday in ``country``."""
    return day.weekday() not in WEEKEND and day not in _holidays(country, day.year)


def business_days_after(start: date, n: int, country: str = "IN") -> date:
    """Return the date ``n`` business days after ``start`` (``start`` itself not counted)."""
    if n < 0:
        raise ValueError("n must be zero or more")
    if n == 0:
        return start
    year, left = start.year, n
    days = _business_ordinals(country, year)
    at = bisect_right(days, start.toordinal())  # the first business day after start
    while at + left > len(days):
        left -= len(days) - at
        year += 1
        days, at = _business_ordinals(country, year), 0
    return date.fromordinal(days[at + left - 1])


def business_days_between(start: date, end: date, country: str = "IN") -> int:
    """Return how many business days fall after ``start`` up to and including ``end``
    (negative, counted the same way, when ``end`` is before ``start``)."""
    if end < start:
        return -business_days_between(end, start, country)
    count, lo, hi = 0, start.toordinal(), end.toordinal()
    for year in range(start.year, end.year + 1):
        days = _business_ordinals(country, year)
        count += bisect_right(days, hi) - bisect_right(days, lo)
    return count


def naive_business_days_after(start: date, n: int, country: str = "IN") -> date:
    """Return what ``business_days_after`` does by walking day by day (the reference the fast
    version is tested and measured against)."""
    if n < 0:
        raise ValueError("n must be zero or more")
    day, left = start, n
    while left:
        day += timedelta(days=1)
        if is_business_day(day, country):
            left -= 1
    return day
