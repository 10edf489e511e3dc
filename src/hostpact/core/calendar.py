"""Business days: deadlines counted in working days on a country's public-holiday calendar.

Promises such as "answer within 10 business days" skip weekends and the country's public
holidays (the ``holidays`` package). The country is a parameter because resellers work on
their own country's calendar; the platform's own deadlines use India's.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays

WEEKEND = (5, 6)  # Saturday, Sunday


@lru_cache(maxsize=64)
def _holidays(country: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, years=year))


def is_business_day(day: date, country: str = "IN") -> bool:
    """Return True if ``day`` is neither a weekend day nor a public holiday in ``country``."""
    return day.weekday() not in WEEKEND and day not in _holidays(country, day.year)


def business_days_after(start: date, n: int, country: str = "IN") -> date:
    """Return the date ``n`` business days after ``start`` (``start`` itself not counted)."""
    if n < 0:
        raise ValueError("n must be zero or more")
    day = start
    left = n
    while left:
        day += timedelta(days=1)
        if is_business_day(day, country):
            left -= 1
    return day
