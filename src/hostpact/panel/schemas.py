"""API bodies of sign-up and ``/me``, and their mapping to the form fields that validate them."""

import datetime

from ninja import Schema
from pydantic import Field

from hostpact.accounts.schemas import IsoDate, Strict
from hostpact.core.validation import country_choices

# API field name -> SignupForm field name (ContactFields, CardForm and the account's own)
API_TO_FORM = {
    "name": "name", "email": "email", "phone": "phone", "date_of_birth": "date_of_birth",
    "password": "password", "address.line1": "line1", "address.line2": "line2",
    "address.city": "city", "address.region": "region", "address.postal_code": "postal_code",
    "address.country": "country", "card.number": "card_number",
    "card.exp_month": "card_exp_month", "card.exp_year": "card_exp_year", "card.cvc": "card_cvc",
}
FORM_TO_API = {v: k for k, v in API_TO_FORM.items()}
FORM_TO_API_ADDRESS = {k.removeprefix("address."): v for k, v in API_TO_FORM.items()
                       if k.startswith("address.")}


# The limits the forms enforce (core.forms.AddressForm, ContactFields, CardForm, SignupForm),
# declared here too so that the OpenAPI document states them.
NAME = {"min_length": 1, "max_length": 200}
EMAIL = {"min_length": 3, "max_length": 254, "json_schema_extra": {"format": "email"}}
PHONE = {"min_length": 1, "max_length": 32,
         "description": "With the country code, for example +91 98765 43210."}
PASSWORD = {"max_length": 128}
LINE = {"max_length": 200}
CITY = REGION = {"max_length": 100}
POSTAL_CODE = {"max_length": 20}
# The form checks membership (with its own message); the pattern keeps the error short.
COUNTRY_CODES = sorted(code for code, _ in country_choices())
COUNTRY = {"pattern": r"^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2 code, e.g. IN.",
           "json_schema_extra": {"enum": COUNTRY_CODES}}
COUNTRY_OR_NULL = {**COUNTRY, "json_schema_extra": {"enum": [*COUNTRY_CODES, None]}}
BIRTH = {"description": "YYYY-MM-DD; under 13 is refused."}


class Address(Strict):
    line1: str = Field(min_length=1, **LINE)
    line2: str | None = Field(default=None, **LINE)
    city: str = Field(min_length=1, **CITY)
    region: str | None = Field(default=None, **REGION)
    postal_code: str = Field(min_length=1, **POSTAL_CODE)
    country: str = Field(**COUNTRY)


class Card(Strict):
    number: str = Field(min_length=12, max_length=23, pattern=r"^[0-9 -]+$",
                        description="12 to 19 digits; spaces and dashes are ignored.")
    exp_month: int = Field(ge=1, le=12)
    exp_year: int = Field(ge=2000, le=2100)
    cvc: str = Field(pattern=r"^[0-9]{3,4}$")


class SignupIn(Strict):
    name: str = Field(**NAME)
    email: str = Field(**EMAIL)
    phone: str = Field(**PHONE)
    address: Address
    date_of_birth: IsoDate = Field(**BIRTH)
    password: str = Field(min_length=1, **PASSWORD)
    card: Card
    marketing: bool | None = Field(None, description=(
        "Newsletters and promotions (ours and partners', sent by us): true subscribes, false "
        "declines; absent, the country's default (subscribed, except in the EEA and the UK)."))


class SignupOut(Schema):
    id: int
    customer_id: str


def flatten(body: dict) -> dict:
    """Turn a nested API body into the flat data the forms take."""
    flat = {}
    for api_name, form_name in API_TO_FORM.items():
        node = body
        for part in api_name.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node is not None:
            flat[form_name] = node
    return flat


class AddressOut(Schema):
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    country: str


class CardOut(Schema):
    brand: str
    last4: str
    exp_month: int
    exp_year: int


class MeOut(Schema):
    customer_id: str
    name: str | None
    email: str
    email_verified: bool
    pending_email: str | None
    phone: str | None
    address: AddressOut | None
    date_of_birth: datetime.date | None
    card: CardOut | None


class AddressPatch(Strict):
    line1: str | None = Field(default=None, **LINE)
    line2: str | None = Field(default=None, **LINE)
    city: str | None = Field(default=None, **CITY)
    region: str | None = Field(default=None, **REGION)
    postal_code: str | None = Field(default=None, **POSTAL_CODE)
    country: str | None = Field(default=None, **COUNTRY_OR_NULL)


class MePatch(Strict):
    """Any sign-up field. A new password needs ``current_password``; a new email is confirmed
    by a link before it becomes the login email; a card replaces the default card."""

    name: str | None = Field(default=None, **NAME)
    email: str | None = Field(default=None, **EMAIL)
    phone: str | None = Field(default=None, **PHONE)
    address: AddressPatch | None = None
    date_of_birth: IsoDate | None = Field(default=None, **BIRTH)
    password: str | None = Field(default=None, **PASSWORD)
    current_password: str | None = Field(default=None, **PASSWORD)
    card: Card | None = None
