"""Reseller API keys: made with scopes, an expiry and optional address ranges, revoked.

The secret (``hpr_<key_id>_<random>``) is returned once, to be shown once; only its SHA-256 is
kept, so a leaked database does not leak a usable key. Every call made with a key, allowed or
refused, is written to its log (``log_use``).
"""

import hashlib
import ipaddress
import secrets
from datetime import timedelta

from django.db import transaction

from hostpact.core import audit, clock
from hostpact.resellers.models import ApiKey, ApiKeyUse, Reseller

PREFIX = "hpr_"
MAX_DAYS = 365


class KeyRefused(Exception):
    """A key that cannot be made as asked; ``field`` names what is wrong."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message, self.field = message, field


def secret_hash(secret: str) -> str:
    """Return the SHA-256 (hex) a key's secret is stored and looked up as."""
    return hashlib.sha256(secret.encode()).hexdigest()


def clean_scopes(scopes) -> list[str]:
    """Return ``scopes`` as a list in ``ApiKey.SCOPES`` order; raise ``KeyRefused`` naming an
    unknown one."""
    given = [s.strip() for s in scopes or () if s and s.strip()]
    unknown = [s for s in given if s not in ApiKey.SCOPES]
    if unknown:
        raise KeyRefused(f"Unknown scope {unknown[0]!r}: use {', '.join(ApiKey.SCOPES)}.",
                         "scopes")
    if not given:
        raise KeyRefused(f"Give at least one scope: {', '.join(ApiKey.SCOPES)}.", "scopes")
    return [s for s in ApiKey.SCOPES if s in given]


def clean_ranges(ranges) -> list[str]:
    """Return ``ranges`` as normal CIDR strings; raise ``KeyRefused`` naming a bad one."""
    out = []
    for text in ranges or ():
        text = (text or "").strip()
        if not text:
            continue
        try:
            out.append(str(ipaddress.ip_network(text, strict=False)))
        except ValueError:
            raise KeyRefused(f"{text!r} is not an address range (CIDR, like 203.0.113.0/24 or "
                             "2001:db8::/32).", "ip_ranges")
    return list(dict.fromkeys(out))


def create_key(reseller: Reseller, *, name: str, scopes, ip_ranges=(), days: int = 90,
               actor: str) -> tuple[ApiKey, str]:
    """Make a key for ``reseller``; return it with its secret, which is not kept."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise KeyRefused("Name the key (up to 80 characters), e.g. the system that uses it.",
                         "name")
    scopes, ranges = clean_scopes(scopes), clean_ranges(ip_ranges)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise KeyRefused(f"A key lasts from 1 to {MAX_DAYS} days.", "days")
    now = clock.now()
    with transaction.atomic():
        key = ApiKey(reseller=reseller, name=name, scopes=scopes, ip_ranges=ranges,
                     created_by=actor[:64], created_at=now, expires_at=now + timedelta(days=days))
        secret = f"{PREFIX}{key.key_id}_{secrets.token_urlsafe(32)}"
        key.secret_hash = secret_hash(secret)
        key.save()
        audit.record(actor, "resellers.key.create", None, [], f"api-key:{key.key_id}")
    return key, secret


@transaction.atomic
def revoke_key(key: ApiKey, *, actor: str) -> ApiKey:
    """Stop ``key`` working from now on (its log stays)."""
    if key.revoked_at is None:
        key.revoked_at = clock.now()
        key.save(update_fields=["revoked_at"])
        audit.record(actor, "resellers.key.revoke", None, [], f"api-key:{key.key_id}")
    return key


def refusal(key: ApiKey, scope: str | None, address: str) -> tuple[str, str]:
    """Return (code, reason) why ``key`` may not make a call needing ``scope`` from
    ``address`` (None: any scope), or ("", "") when it may."""
    now = clock.now()
    if key.revoked_at is not None:
        return "key_revoked", f"The key {key.key_id} was revoked on {key.revoked_at:%Y-%m-%d}."
    if key.expires_at <= now:
        return "key_expired", f"The key {key.key_id} expired on {key.expires_at:%Y-%m-%d}."
    if scope is not None and scope not in key.scopes:
        return "scope_missing", f"The key {key.key_id} lacks the scope {scope}."
    if key.ip_ranges and not in_ranges(address, key.ip_ranges):
        return "address_refused", (f"The key {key.key_id} is not for calls from "
                                   f"{address or 'an unknown address'}.")
    return "", ""


def in_ranges(address: str, ranges) -> bool:
    """Return True if ``address`` lies in one of ``ranges`` (CIDR strings)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(r) for r in ranges if
               ipaddress.ip_network(r).version == ip.version)


def log_use(key: ApiKey, *, method: str, path: str, status: int, reason: str = "",
            client_ip: str = "") -> ApiKeyUse:
    """Write one call of ``key`` (allowed or refused) to its log."""
    try:
        ip = str(ipaddress.ip_address(client_ip))
    except ValueError:
        ip = None
    now = clock.now()
    with transaction.atomic():
        use = ApiKeyUse.objects.create(key=key, at=now, method=method[:8], path=path[:200],
                                       status=status, reason=reason[:120], client_ip=ip)
        if status < 400:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return use
