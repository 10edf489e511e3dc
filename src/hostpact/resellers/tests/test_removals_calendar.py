"""The fast business-day calendar behind removal due dates (C39) gives exactly what a walk
day by day gives, on every country's calendar a reseller may use."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostpact.core.calendar import (
    business_days_after,
    business_days_between,
    is_business_day,
    naive_business_days_after,
)

pytestmark = pytest.mark.commitment("C39")

COUNTRIES = st.sampled_from(["IN", "DE", "US", "GB", "FR"])
DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))


@given(start=DAYS, n=st.integers(min_value=0, max_value=400), country=COUNTRIES)
def test_counting_forward_matches_the_day_by_day_walk(start, n, country):
    """n business days after a date: the same date as the naive walk, across year ends."""
    assert business_days_after(start, n, country) == naive_business_days_after(start, n, country)


@given(start=DAYS, span=st.integers(min_value=-120, max_value=120), country=COUNTRIES)
def test_counting_between_matches_the_day_by_day_count(start, span, country):
    """The business days after one date up to another are those a walk counts (negative
    when the end comes first)."""
    end = start + timedelta(days=span)
    lo, hi = min(start, end), max(start, end)
    walked = sum(is_business_day(lo + timedelta(days=i), country)
                 for i in range(1, (hi - lo).days + 1))
    assert business_days_between(start, end, country) == (walked if span >= 0 else -walked)


def test_the_due_date_is_thirty_business_days_on():
    """Thirty business days after a date are thirty business days between them."""
    due = business_days_after(date(2026, 12, 20), 30, "GB")
    assert business_days_between(date(2026, 12, 20), due, "GB") == 30
    assert is_business_day(due, "GB")
