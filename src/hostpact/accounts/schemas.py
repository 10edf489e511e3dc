"""API bodies of the accounts app: bearer tokens, and the strict base other apps' bodies use."""

import datetime

from ninja import Schema
from pydantic import ConfigDict, Field


class Strict(Schema):
    """A body that refuses unknown keys and over-long strings (400, not a silent drop)."""

    model_config = ConfigDict(extra="forbid", str_max_length=1000)


class TokenIn(Strict):
    email: str = Field(max_length=254)
    password: str = Field(max_length=128)
    otp: str | None = Field(default=None, max_length=16)


class TokenOut(Schema):
    token: str
    expires_at: datetime.datetime
