"""Field rules shared by the sign-up and profile forms, the API and the panel.

The postal address's rules are core's (``core.validation``): billing uses them too.
"""

import datetime

import phonenumbers
from django.core.exceptions import ValidationError

from hostpact.core import clock

MIN_AGE = 13
DEFAULT_PHONE_REGION = "IN"


def clean_phone(value: str, country: str | None = None) -> str:
    """Parse a phone number and return it in E.164, or raise a ValidationError."""
    try:
        number = phonenumbers.parse(value, (country or DEFAULT_PHONE_REGION).upper())
    except phonenumbers.NumberParseException:
        raise ValidationError("Enter a valid phone number, for example +91 98765 43210.")
    if not phonenumbers.is_valid_number(number):
        raise ValidationError("This phone number is not valid for its country.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def is_under_min_age(birth: datetime.date) -> bool:
    return age_on(birth, clock.today()) < MIN_AGE


def check_birth_date(birth: datetime.date) -> None:
    if birth > clock.today():
        raise ValidationError("The date of birth cannot be in the future.")
    if birth.year < 1900:
        raise ValidationError("Enter a date of birth after 1900.")
