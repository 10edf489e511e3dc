"""API bodies of sign-up and ``/me``, and their mapping to the form fields that validate them."""

import datetime

from ninja import Schema
from pydantic import Field

from hostpact.accounts.schemas import Strict

# API field name -> SignupForm field name (ContactFields, CardForm and the account's own)
API_TO_FORM = {
    "name": "name", "email": "email", "phone": "phone", "date_of_birth": "date_of_birth",
    "password": "password", "address.line1": "address_line1", "address.line2": "address_line2",
    "address.city": "city", "address.region": "region", "address.postal_code": "postal_code",
    "address.country": "country", "card.number": "card_number",
    "card.exp_month": "card_exp_month", "card.exp_year": "card_exp_year", "card.cvc": "card_cvc",
}
FORM_TO_API = {v: k for k, v in API_TO_FORM.items()}
FORM_TO_API_ADDRESS = {"line1": "address_line1", "line2": "address_line2", "city": "city",
                       "region": "region", "postal_code": "postal_code", "country": "country"}


class Address(Strict):
    line1: str
    line2: str | None = None
    city: str
    region: str | None = None
    postal_code: str
    country: str = Field(min_length=2, max_length=2)


class Card(Strict):
    number: str = Field(max_length=23)
    exp_month: int
    exp_year: int
    cvc: str = Field(max_length=4)


class SignupIn(Strict):
    name: str
    email: str
    phone: str
    address: Address
    date_of_birth: datetime.date
    password: str
    card: Card


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
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None


class MePatch(Strict):
    """Any sign-up field. A new password needs ``current_password``; a new email is confirmed
    by a link before it becomes the login email; a card replaces the default card."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    address: AddressPatch | None = None
    date_of_birth: datetime.date | None = None
    password: str | None = Field(default=None, max_length=128)
    current_password: str | None = Field(default=None, max_length=128)
    card: Card | None = None
