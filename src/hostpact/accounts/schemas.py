"""API bodies of the accounts app: bearer tokens, and the strict base other apps' bodies use."""

import datetime
import re
from typing import Annotated

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Strict(Schema):
    """A body that refuses unknown keys, over-long strings and values of the wrong JSON type
    (400, not a silent drop or a coercion: ``"2030"`` is not a number)."""

    model_config = ConfigDict(extra="forbid", str_max_length=1000, strict=True)


def _date_text(value):
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise PydanticCustomError("date_format", "Enter the date as text, YYYY-MM-DD.")
    return value


#: A date in a strict body: JSON has no date type, so it comes as "YYYY-MM-DD" text only.
IsoDate = Annotated[datetime.date, Field(strict=False), BeforeValidator(_date_text)]


class TokenIn(Strict):
    email: str = Field(max_length=254)
    password: str = Field(max_length=128)
    otp: str | None = Field(default=None, max_length=16)


class TokenOut(Schema):
    token: str
    expires_at: datetime.datetime
