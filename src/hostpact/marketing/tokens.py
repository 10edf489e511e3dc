"""Unsubscribe tokens: one per recipient and list, signed, carrying ids and never an address.

The same token ends the URL (``/u/<token>``) and the mailto address
(``unsubscribe+<token>@MAIL_DOMAIN``). Mail servers may lower-case a local part, so the token
is lower-case base32 (no padding) of 29 bytes: the subject's UUID (16), the list's code (1),
the day it was issued (2, days since 1970) and an HMAC-SHA256 of those, cut to 10 bytes. That
is 47 characters, short enough for a local part (64 at most) after ``unsubscribe+``.

A token is valid for ``settings.MARKETING_UNSUBSCRIBE_TOKEN_DAYS`` after the day it was issued.
"""

import base64
import binascii
import hmac
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils.crypto import salted_hmac

from hostpact.core import clock
from hostpact.marketing import lists

SALT = "hostpact.marketing.unsubscribe"
_EPOCH = date(1970, 1, 1)
_MAC_BYTES = 10
_LENGTH = 47


class BadToken(Exception):
    """The token is not one of ours: damaged or forged. Nothing may be changed."""


class ExpiredToken(BadToken):
    """The token is ours but older than the configured lifetime."""


@dataclass(frozen=True)
class Unsubscribe:
    subject_id: uuid.UUID
    list_key: str
    issued: date


def _mac(body: bytes) -> bytes:
    return salted_hmac(SALT, body, algorithm="sha256").digest()[:_MAC_BYTES]


def make_token(subject_id, list_key: str, *, issued: date | None = None) -> str:
    """Return the token for ``subject_id`` and ``list_key`` issued today (or ``issued``)."""
    mail_list = lists.get(list_key)
    day = ((issued or clock.today()) - _EPOCH).days
    body = uuid.UUID(str(subject_id)).bytes + bytes([mail_list.code]) + day.to_bytes(2, "big")
    raw = body + _mac(body)
    return base64.b32encode(raw).decode().rstrip("=").lower()


def read_token(token: str) -> Unsubscribe:
    """Return what ``token`` names; raise ``BadToken`` (forged, damaged, unknown list) or
    ``ExpiredToken``."""
    text = (token or "").strip().upper()
    if len(text) != _LENGTH:
        raise BadToken("wrong length")
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        raise BadToken("not base32") from None
    if base64.b32encode(raw).decode().rstrip("=") != text:
        raise BadToken("not canonical")  # the last letter's spare bits were changed
    body, mac = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
    if not hmac.compare_digest(mac, _mac(body)):
        raise BadToken("bad signature")
    mail_list = lists.by_code(body[16])
    if mail_list is None:
        raise BadToken("unknown list")
    issued = _EPOCH + timedelta(days=int.from_bytes(body[17:19], "big"))
    if clock.today() > issued + timedelta(days=settings.MARKETING_UNSUBSCRIBE_TOKEN_DAYS):
        raise ExpiredToken("expired")
    return Unsubscribe(uuid.UUID(bytes=body[:16]), mail_list.key, issued)
