"""What a referral link carries, checked: the code's format, the campaign parameters, and the
signed value of the ``hp_ref`` cookie.

Everything here comes from the visitor's browser, so nothing is trusted: a code of the wrong
shape is no code, a campaign value that is not a short token (or looks like an email address,
which is personal data) is dropped, and a cookie whose signature fails is no attribution.
"""

import re
import secrets
from dataclasses import dataclass

from django.core import signing

from hostpact.referrals.models import UTM_FIELDS, UTM_MAX

COOKIE = "hp_ref"
COOKIE_DAYS = 90
COOKIE_SALT = "hostpact.referrals.hp_ref"
FIELD = "ref"  # the hidden form field of the same-visit rule
# Generated codes avoid letters and digits people confuse (0/O, 1/I/L).
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GENERATED_LENGTH = 8
_CODE = re.compile(r"^[A-Z0-9]{4,16}$")
# A campaign value is a short token: letters, digits, and . _ - + ~ / : and spaces.
_UTM = re.compile(r"^[\w .\-+~/:]+$")


def new_code() -> str:
    """Return a random code of the generated form."""
    return "".join(secrets.choice(ALPHABET) for _ in range(GENERATED_LENGTH))


def clean_code(value) -> str | None:
    """Return ``value`` as a code (upper case) when it has a code's shape, else None."""
    if not isinstance(value, str) or len(value) > 16:
        return None
    value = value.strip().upper()
    return value if _CODE.match(value) else None


def clean_utm_value(value) -> str:
    """Return a campaign value stripped and cut to ``UTM_MAX``; "" when it is not a token."""
    if not isinstance(value, str):
        return ""
    value = value.strip()[:UTM_MAX].strip()
    if not value or "@" in value or not _UTM.match(value):
        return ""
    return value


def campaign_of(params) -> dict[str, str]:
    """Return the valid ``utm_*`` parameters of ``params`` (a QueryDict or dict)."""
    found = {}
    for name in UTM_FIELDS:
        raw = params.get(name)
        value = clean_utm_value(raw) if raw is not None else ""
        if value:
            found[name] = value
    return found


@dataclass(frozen=True)
class Carried:
    """A code and, when it came by the cookie, the click it was set on."""

    code: str
    click_id: int | None = None


def cookie_value(code: str, click_id: int) -> str:
    """Return the signed ``hp_ref`` value: the code and the click id, nothing else."""
    return signing.dumps([code, click_id], salt=COOKIE_SALT, compress=False)


def read_cookie(value) -> Carried | None:
    """Return what a ``hp_ref`` cookie carries, or None for a missing, forged or stale one."""
    if not isinstance(value, str) or not value or len(value) > 200:
        return None
    try:
        code, click_id = signing.loads(value, salt=COOKIE_SALT,
                                       max_age=COOKIE_DAYS * 86400)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    code = clean_code(code)
    if code is None or not isinstance(click_id, int) or isinstance(click_id, bool):
        return None
    return Carried(code, click_id)
