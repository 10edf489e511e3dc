"""Backup codes: their format, how typed codes are normalised, and the keyed hash stored.

A module of its own because three places must agree on every detail: the device model that
checks a code, the service that makes new ones, and the data migration that hashed the codes
django-otp's static plugin had kept in plain text. A code that hashed differently in one of
them would silently stop working.
"""

import re
import secrets

from hostpact.core import crypto

# No 0/O, 1/I/L: a code copied from paper must not be misread.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 10  # 31**10 ≈ 2**49: far beyond guessing online, and offline needs the server key
GROUP = 5
INDEX_KIND = "backup-code"
_SEPARATORS = re.compile(r"[\s\-]+")


def generate(count: int) -> list[str]:
    """``count`` distinct new codes, grouped for reading ("K7QXM-3HT9A")."""
    codes: set[str] = set()
    while len(codes) < count:
        codes.add("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))
    return [f"{c[:GROUP]}-{c[GROUP:]}" for c in codes]


def normalise(code: str) -> str:
    """The code as stored: without spaces or dashes, upper case, so "k7qxm 3ht9a" matches."""
    return _SEPARATORS.sub("", code or "").upper()


def digest(code: str) -> str:
    """The keyed hash (HMAC-SHA256 under the blind-index key) kept in place of the code.

    Codes are random and long, so a fast keyed hash is enough: without the key, which lives
    outside the database, a copy of the rows cannot even be used to test guesses.
    """
    return crypto.blind_index(INDEX_KIND, normalise(code))
