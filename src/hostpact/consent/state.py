"""The visitor's consent as the server reads it: ``Consent`` and the ``hp_consent`` codec.

``request.consent`` is one of these, set by ``ConsentMiddleware`` on every request; the rest of
the platform only reads it. The cookie is a signed (``django.core.signing``), compact list:
granted categories as bits, policy version, banner revision, consent id, time, flags. A forged,
oversized or malformed cookie is no consent at all; verifying it is cached by the raw value, so
a returning visitor's request costs a dictionary look-up, not an HMAC.
"""

import uuid
from dataclasses import dataclass
from functools import lru_cache

from django.core import signing

from hostpact.core import clock
from hostpact.privacy.cookies import OPTIONAL, REQUIRED

COOKIE = "hp_consent"
SALT = "hostpact.consent.cookie"
MAX_BYTES = 1024
_BITS = {name: 1 << n for n, name in enumerate(OPTIONAL)}
# Flags of the cookie: a choice was made (banner or form), a GPC refusal is recorded, and the
# visitor ticked advertising explicitly after that refusal.
CHOSEN, GPC_RECORDED, AD_OPT_IN = 1, 2, 4


@dataclass(frozen=True)
class Stored:
    """What ``hp_consent`` holds, as decoded."""

    categories: frozenset
    policy_version: int
    banner_revision: int
    consent_id: str
    at: int  # seconds since the epoch
    flags: int = 0


@dataclass(frozen=True)
class Consent:
    """The consent of one request: what is granted, whether a valid choice exists, GPC."""

    granted: frozenset = frozenset({REQUIRED})
    chosen: bool = False
    gpc: bool = False
    consent_id: str | None = None
    gpc_recorded: bool = False
    ad_opt_in: bool = False

    def allows(self, category: str) -> bool:
        """Return whether ``category`` is granted (required always is)."""
        return category in self.granted


NOTHING = Consent()


def of(request) -> Consent:
    """Return the request's consent, or the "nothing granted" one without the middleware."""
    return getattr(request, "consent", None) or NOTHING


def new_consent_id() -> str:
    return uuid.uuid4().hex


def encode(stored: Stored) -> str:
    """Return the signed cookie value of ``stored``."""
    bits = sum(_BITS[c] for c in stored.categories if c in _BITS)
    return signing.dumps([bits, stored.policy_version, stored.banner_revision,
                          stored.consent_id, stored.at, stored.flags], salt=SALT)


@lru_cache(maxsize=8192)
def decode(raw: str) -> Stored | None:
    """Return what a cookie value holds, or None when it is forged, too long or malformed."""
    if not raw or len(raw) > MAX_BYTES:
        return None
    try:
        bits, version, revision, consent_id, at, flags = signing.loads(raw, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(bits, int) and isinstance(version, int) and isinstance(revision, int)
            and isinstance(consent_id, str) and len(consent_id) == 32
            and isinstance(at, int) and isinstance(flags, int)):
        return None
    categories = frozenset(c for c, bit in _BITS.items() if bits & bit)
    return Stored(categories | {REQUIRED}, version, revision, consent_id, at, flags)


def read(raw: str | None, *, gpc: bool, policy_version: int, banner_revision: int) -> Consent:
    """Return the consent a request carries: its cookie judged against the versions in force.

    A choice made under another policy version or banner revision is no longer a choice (the
    banner comes back) and grants nothing optional; its consent id and GPC record carry on.
    Under GPC advertising is refused unless the visitor ticked it explicitly after GPC.
    """
    stored = decode(raw) if raw else None
    if stored is None:
        return Consent(gpc=gpc) if gpc else NOTHING
    current = stored.policy_version == policy_version and stored.banner_revision == banner_revision
    chosen = current and bool(stored.flags & CHOSEN)
    granted = stored.categories if current else frozenset({REQUIRED})
    opt_in = bool(stored.flags & AD_OPT_IN)
    if gpc and not opt_in:
        granted = granted - {"advertising"}
    return Consent(granted=granted, chosen=chosen, gpc=gpc, consent_id=stored.consent_id,
                   gpc_recorded=bool(stored.flags & GPC_RECORDED), ad_opt_in=opt_in)


def now_seconds() -> int:
    return int(clock.now().timestamp())
