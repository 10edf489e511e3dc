"""Business days on a country's calendar: weekends and public holidays do not count."""

from datetime import date

import pytest

from hostpact.core.calendar import business_days_after, is_business_day


def test_weekends_are_skipped():
    """Friday plus one business day is the next Monday."""
    assert business_days_after(date(2026, 2, 6), 1) == date(2026, 2, 9)


def test_an_indian_public_holiday_is_skipped():
    """Holi (4 March 2026) is no business day in India, so counting across it adds a day."""
    assert not is_business_day(date(2026, 3, 4))
    assert business_days_after(date(2026, 3, 2), 2) == date(2026, 3, 5)


def test_ten_business_days_across_a_holiday_and_weekends():
    """Ten business days from Monday 2 March 2026 skip two weekends and Holi: 17 March."""
    assert business_days_after(date(2026, 3, 2), 10) == date(2026, 3, 17)


def test_the_calendar_follows_the_country():
    """Republic Day (Monday 26 January 2026) is a holiday in India, not in the United States."""
    assert business_days_after(date(2026, 1, 23), 1, "IN") == date(2026, 1, 27)
    assert business_days_after(date(2026, 1, 23), 1, "US") == date(2026, 1, 26)


def test_zero_days_is_the_start_and_negative_is_refused():
    """Zero business days after a date is that date; a negative count is refused."""
    assert business_days_after(date(2026, 3, 4), 0) == date(2026, 3, 4)
    with pytest.raises(ValueError):
        business_days_after(date(2026, 3, 4), -1)
