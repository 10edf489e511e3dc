"""The vocabulary of the optional form about a subscriber, shared by the form, the services
that check answers, the aggregate profiles and the audiences advertisers name.

Each list holds (value, label) pairs; the empty value "" is "Prefer not to say", the default of
every question, and is never stored.
"""

import datetime

from hostpact.billing.models import Product

PREFER_NOT = ("", "Prefer not to say")

AGE_BANDS = (("under-18", "Under 18"), ("18-24", "18–24"), ("25-34", "25–34"),
             ("35-44", "35–44"), ("45-54", "45–54"), ("55-64", "55–64"),
             ("65-plus", "65 or over"))
GENDERS = (("female", "Female"), ("male", "Male"), ("another", "Another gender"))
ORG_TYPES = (("individual", "Just me (an individual)"), ("business", "A business"),
             ("nonprofit", "A non-profit"), ("education", "Education"),
             ("government", "Government"))
ORG_SIZES = (("1", "1 person"), ("2-9", "2–9 people"), ("10-49", "10–49 people"),
             ("50-249", "50–249 people"), ("250-plus", "250 or more people"))
PRODUCT_KINDS = tuple((k.value, k.label) for k in Product.Kind)
TOPICS = (("wordpress", "WordPress"), ("email", "Email"), ("security", "Security"),
          ("domains", "Domains"), ("e-commerce", "E-commerce"))
CHANNELS = (("email", "By email"), ("none", "Not at all"))
# A short list: the countries most of our subscribers are in; ISO 3166-1 alpha-2.
COUNTRIES = (("IN", "India"), ("BD", "Bangladesh"), ("LK", "Sri Lanka"), ("NP", "Nepal"),
             ("PK", "Pakistan"), ("AE", "United Arab Emirates"), ("SG", "Singapore"),
             ("MY", "Malaysia"), ("ID", "Indonesia"), ("AU", "Australia"),
             ("GB", "United Kingdom"), ("DE", "Germany"), ("FR", "France"),
             ("NL", "Netherlands"), ("US", "United States"), ("CA", "Canada"),
             ("BR", "Brazil"), ("ZA", "South Africa"), ("NG", "Nigeria"), ("JP", "Japan"))

# One answer each: field name -> choices. Several answers: field name -> choices.
SINGLE = {"age_band": AGE_BANDS, "gender": GENDERS, "country": COUNTRIES,
          "org_type": ORG_TYPES, "org_size": ORG_SIZES, "channel": CHANNELS}
MULTIPLE = {"products": PRODUCT_KINDS, "topics": TOPICS}
FREE_TEXT = {"other": 1000}  # field name -> most characters
FIELDS = (*SINGLE, *MULTIPLE, *FREE_TEXT)


def label_of(choices, value: str) -> str:
    """Return the label of ``value`` in ``choices`` (the value itself if unknown)."""
    return dict(choices).get(value, value)


def age_band_of(born: datetime.date | None, today: datetime.date) -> str | None:
    """Return the age band of someone born on ``born``, on ``today``; None without a date."""
    if born is None:
        return None
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if age < 18:
        return "under-18"
    if age >= 65:
        return "65-plus"
    for value, _ in AGE_BANDS[1:-1]:
        low, high = (int(x) for x in value.split("-"))
        if low <= age <= high:
            return value
    return None
