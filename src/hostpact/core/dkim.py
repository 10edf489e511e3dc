"""DKIM signing of outgoing mail (RFC 6376), with the key kept under ``var/keys/``.

dkimpy does the parts that must match what verifiers do: parsing the message, relaxed
canonicalisation, selecting and hashing the signed headers, folding the DKIM-Signature header.
Its RSA is pure Python (about 8 ms a signature), too slow for a campaign, so the PKCS#1 v1.5
signature itself is made by ``cryptography`` (OpenSSL) with the parsed key cached; the steps
mirror ``dkim.DomainSigner.gen_header`` so dkimpy's own verifier accepts the result.

The key (RSA 2048, PEM, mode 0600) is created at ``settings.DKIM_KEY_FILE`` on first use, or by
``hostpact serve`` before its children start; ``hostpact dkim record`` prints the DNS record.
"""

import base64
import hashlib
import os
import threading
import time
from pathlib import Path

import dkim
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils
from django.conf import settings
from dkim.canonicalization import CanonicalizationPolicy

from hostpact.core import clock
from hostpact.core.keyfiles import _write_private

KEY_BITS = 2048
# Signed when present (RFC 6376 §5.4.1, RFC 8058 §4: both List-Unsubscribe headers).
SIGNED_HEADERS = (
    b"from", b"to", b"subject", b"date", b"message-id", b"mime-version", b"content-type",
    b"reply-to", b"list-id", b"list-unsubscribe", b"list-unsubscribe-post",
)
# Signed once more than present, so nobody can add a second one without breaking the signature.
OVERSIGNED = (b"from", b"list-unsubscribe", b"list-unsubscribe-post")
HEADER_NAME = b"DKIM-Signature"
_CANON = CanonicalizationPolicy.from_c_value(b"relaxed/relaxed")

RECHECK_SECONDS = 1.0  # how often a process looks whether the key file was replaced

_lock = threading.Lock()
# (path, file mtime, monotonic time of the last look, parsed key)
_cached: tuple[str, int, float, rsa.RSAPrivateKey] | None = None


def ensure_key(path: Path | None = None) -> Path:
    """Create the signing key at ``path`` (default ``settings.DKIM_KEY_FILE``) if missing."""
    path = Path(path or settings.DKIM_KEY_FILE)
    if not path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
        pem = key.private_bytes(serialization.Encoding.PEM,
                                serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption()).decode()
        try:
            _write_private(path, pem)
        except FileExistsError:  # another process created it first
            pass
    return path


def private_key() -> rsa.RSAPrivateKey:
    """Return the parsed signing key: read once per process, again if the file is replaced
    (looked at once a second at most: a stat per message showed in the delivery profile)."""
    global _cached
    path, now = str(settings.DKIM_KEY_FILE), time.monotonic()
    with _lock:
        if _cached and _cached[0] == path and now - _cached[2] < RECHECK_SECONDS:
            return _cached[3]
        ensure_key()
        mtime = os.stat(path).st_mtime_ns
        if not _cached or _cached[:2] != (path, mtime):
            key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
            _cached = (path, mtime, now, key)
        else:
            _cached = (path, mtime, now, _cached[3])
        return _cached[3]


def public_record() -> tuple[str, str]:
    """Return the DNS TXT record of the key: (``<selector>._domainkey.<domain>``, value)."""
    der = private_key().public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    name = f"{settings.DKIM_SELECTOR}._domainkey.{settings.MAIL_DOMAIN}"
    return name, f"v=DKIM1; k=rsa; p={base64.b64encode(der).decode()}"


def _included(headers) -> list[bytes]:
    present = {name.lower() for name, _ in headers}
    names = [h for h in SIGNED_HEADERS if h in present]
    return names + [h for h in OVERSIGNED if h in present]


def signature_header(message: bytes) -> bytes:
    """Return the ``DKIM-Signature: …`` header line (CRLF-terminated) for ``message``.

    Raises ``dkim.MessageFormatError`` for a message dkimpy cannot parse, and ``ValueError``
    when it has no From header (RFC 6376 requires it to be signed).
    """
    headers, body = dkim.rfc822_parse(message)
    include = _included(headers)
    if b"from" not in include:
        raise ValueError("a message without a From header cannot be signed")
    body_hash = base64.b64encode(hashlib.sha256(_CANON.canonicalize_body(body)).digest())
    domain = settings.MAIL_DOMAIN.encode()
    fields = [
        (b"v", b"1"), (b"a", b"rsa-sha256"), (b"c", _CANON.to_c_value()), (b"d", domain),
        (b"i", b"@" + domain), (b"q", b"dns/txt"), (b"s", settings.DKIM_SELECTOR.encode()),
        (b"t", str(int(clock.now().timestamp())).encode()), (b"h", b" : ".join(include)),
        (b"bh", body_hash),
        # A b= placeholder as long as dkimpy's puts the signature on lines of its own, so
        # folding the real value later changes no whitespace before it.
        (b"b", b"0" * 60),
    ]
    value = dkim.fold(b"; ".join(b"=".join(f) for f in fields), namelen=len(HEADER_NAME))
    value = dkim.RE_BTAG.sub(b"\\1", value)
    hasher = hashlib.sha256()
    dkim.hash_headers(hasher, _CANON, _CANON.canonicalize_headers(headers), include,
                      (HEADER_NAME, b" " + value), dict(fields))
    signature = private_key().sign(hasher.digest(), padding.PKCS1v15(),
                                   utils.Prehashed(hashes.SHA256()))
    fields[-1] = (b"b", base64.b64encode(signature))
    value = dkim.fold(b"; ".join(b"=".join(f) for f in fields) + b"\r\n",
                      namelen=len(HEADER_NAME))
    return HEADER_NAME + b": " + value


def sign(message: bytes) -> bytes:
    """Return ``message`` with its DKIM-Signature header prepended (the bytes to send)."""
    return signature_header(message) + message


def own_record(name: bytes, timeout: int = 5) -> bytes | None:
    """Answer a dkimpy ``dnsfunc`` lookup with our own public record, so ``dkim.verify`` can
    check our signatures where DNS does not publish it (development, tests)."""
    record_name, value = public_record()
    wanted = record_name.encode()
    return value.encode() if name.rstrip(b".").lower() == wanted.lower() else None
