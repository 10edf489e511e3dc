"""Envelope encryption: per-subject data keys wrapped by a master keyring, and blind indexes.

A ciphertext names its subject and retention class in an authenticated header, so any row can
be decrypted without knowing its model, and destroying the one data key of a (subject, class)
pair makes every copy of that data unreadable, in backups and logs too (crypto-shredding).

A record under a legal hold is re-encrypted under the hold's own key (class ``legal_hold``)
when its person is erased. That ciphertext decrypts only inside ``reading_held()``, which the
compliance pages enter: everywhere else it reads as no value, the way a shredded one does.
"""

import base64
import contextvars
import hashlib
import hmac
import os
import threading
import time
import uuid
from contextlib import contextmanager
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from hostpact.core.keyfiles import read_or_create_keyring, read_or_create_secret

PREFIX = "hp1."
DEFAULT_CLASS = "account"
HOLD_CLASS = "legal_hold"
_CACHE_SECONDS = 30
# Bumped by every shred; each process's key cache reads it (every KEY_CACHE_SWEEP_SECONDS) and
# forgets its keys when it moved, so no process decrypts with a key erasure destroyed elsewhere.
SHREDS_COUNTER = "crypto.keys_shredded"
RECHECK_SECONDS = 1.0  # how often a process looks whether the keyring file changed


class ShreddedKeyError(Exception):
    """The data key of this ciphertext was destroyed: the data is gone for good."""


class HeldKeyError(ShreddedKeyError):
    """A value kept by a legal hold, read outside ``reading_held()``.

    A subclass so every reader that shows nothing for a shredded value shows nothing for a
    held one either: only the compliance pages may see it.
    """


_reading_held = contextvars.ContextVar("reading_held", default=False)


@contextmanager
def reading_held():
    """Let ciphertext under a legal hold's key decrypt within this block (compliance reads)."""
    token = _reading_held.set(True)
    try:
        yield
    finally:
        _reading_held.reset(token)


class Keyring:
    """Master keys by id; reloads its file when it meets an id it does not know."""

    def __init__(self):
        self._lock = threading.Lock()
        self._ring: dict | None = None
        self._mtime: int | None = None
        self._checked = 0.0

    def _load(self) -> dict:
        if settings.MASTER_KEY:
            return {"active": "env", "keys": {"env": settings.MASTER_KEY}}
        ring = read_or_create_keyring(settings.MASTER_KEY_FILE)
        self._mtime = self._file_mtime()
        return ring

    def _file_mtime(self) -> int | None:
        try:
            return os.stat(settings.MASTER_KEY_FILE).st_mtime_ns
        except FileNotFoundError:
            return None

    def _changed_on_disk(self) -> bool:
        # A rotation switches the active key in the file: every process must start wrapping
        # new data keys under it soon, even one that never meets an unknown id. A stat at most
        # once a second is cheap.
        if settings.MASTER_KEY or time.monotonic() - self._checked < RECHECK_SECONDS:
            return False
        self._checked = time.monotonic()
        return self._file_mtime() != self._mtime

    def ring(self) -> dict:
        with self._lock:
            if self._ring is None or self._changed_on_disk():
                self._ring = self._load()
            return self._ring

    def reload(self) -> None:
        with self._lock:
            self._ring = None

    def active(self) -> tuple[str, bytes]:
        ring = self.ring()
        return ring["active"], base64.urlsafe_b64decode(ring["keys"][ring["active"]])

    def get(self, key_id: str) -> bytes:
        keys = self.ring()["keys"]
        if key_id not in keys:
            self.reload()
            keys = self.ring()["keys"]
        return base64.urlsafe_b64decode(keys[key_id])


keyring = Keyring()


def wrap(data_key: bytes) -> tuple[str, bytes]:
    """Encrypt a data key under the active master key; return (master key id, wrapped)."""
    key_id, master = keyring.active()
    nonce = os.urandom(12)
    return key_id, nonce + AESGCM(master).encrypt(nonce, data_key, key_id.encode())


def unwrap(key_id: str, wrapped: bytes) -> bytes:
    master = keyring.get(key_id)
    return AESGCM(master).decrypt(wrapped[:12], wrapped[12:], key_id.encode())


class _KeyCache:
    """Unwrapped data keys for a short while, so a page of rows costs one key query.

    A key shredded by another process is forgotten here within ``KEY_CACHE_SWEEP_SECONDS``:
    the cache looks at the shared shred counter that often, not on every hit, which would cost
    a query per decryption.
    """

    def __init__(self):
        self._keys: dict[tuple[uuid.UUID, str], tuple[float, bytes]] = {}
        self._lock = threading.Lock()
        self._next_sweep = 0.0
        self._shreds_seen: int | None = None

    def _sweep_if_due(self):
        now = time.monotonic()
        if now < self._next_sweep:
            return
        from hostpact.core.models import Counter

        self._next_sweep = now + settings.KEY_CACHE_SWEEP_SECONDS
        shreds = Counter.objects.filter(name=SHREDS_COUNTER).values_list("value", flat=True)
        seen = shreds.first() or 0
        if seen != self._shreds_seen:
            if self._shreds_seen is not None:
                self.clear()
            self._shreds_seen = seen

    def get(self, subject_id, klass):
        self._sweep_if_due()
        with self._lock:
            hit = self._keys.get((subject_id, klass))
        if hit and hit[0] > time.monotonic():
            return hit[1]
        return None

    def put(self, subject_id, klass, key):
        with self._lock:
            if len(self._keys) > 50_000:
                self._keys.clear()
            self._keys[(subject_id, klass)] = (time.monotonic() + _CACHE_SECONDS, key)

    def forget(self, subject_id, klass=None):
        with self._lock:
            for k in [k for k in self._keys if k[0] == subject_id and klass in (None, k[1])]:
                del self._keys[k]
        _cipher.cache_clear()  # no cipher of a forgotten key stays in memory

    def clear(self):
        with self._lock:
            self._keys.clear()
        _cipher.cache_clear()


key_cache = _KeyCache()


def data_key(subject_id: uuid.UUID, klass: str, create: bool = False) -> bytes:
    """Return the data key of (subject, class), creating it when ``create`` is set."""
    from hostpact.core.models import DataKey

    cached = key_cache.get(subject_id, klass)
    if cached:
        return cached
    row = DataKey.objects.filter(subject_id=subject_id, retention_class=klass).first()
    if row is None and create:
        key = AESGCM.generate_key(bit_length=256)
        key_id, wrapped = wrap(key)
        row, _ = DataKey.objects.get_or_create(
            subject_id=subject_id, retention_class=klass,
            defaults={"master_key_id": key_id, "wrapped": wrapped},
        )
    if row is None or row.shredded_at is not None:
        raise ShreddedKeyError(f"no data key for subject {subject_id} class {klass}")
    key = unwrap(row.master_key_id, bytes(row.wrapped))
    key_cache.put(subject_id, klass, key)
    return key


def encrypt(subject_id: uuid.UUID, klass: str, plaintext: str) -> str:
    """Encrypt ``plaintext`` under the subject's data key of retention class ``klass``."""
    header = subject_id.bytes + klass.encode()
    key = data_key(subject_id, klass, create=True)
    nonce = os.urandom(12)
    blob = bytes([len(klass)]) + header + nonce + AESGCM(key).encrypt(
        nonce, plaintext.encode(), header
    )
    return PREFIX + base64.urlsafe_b64encode(blob).decode()


@lru_cache(maxsize=65536)
def _header(header: bytes) -> tuple[uuid.UUID, str]:
    """(subject, class) of a token's header; cached, as the rows of a page or a bulk read
    share few headers and building the UUID is a good part of a decryption's cost."""
    return uuid.UUID(bytes=header[:16]), header[16:].decode()


@lru_cache(maxsize=4096)
def _cipher(key: bytes) -> AESGCM:
    return AESGCM(key)


def parse(token: str) -> tuple[uuid.UUID, str, bytes, bytes]:
    blob = base64.urlsafe_b64decode(token[len(PREFIX):])
    n = blob[0]
    header = blob[1 : 17 + n]
    subject_id, klass = _header(header)
    return subject_id, klass, header, blob[17 + n :]


def decrypt(token: str) -> str:
    """Decrypt a token made by ``encrypt``; raise ShreddedKeyError if its key is gone, and
    HeldKeyError for a legal hold's value outside ``reading_held()``."""
    subject_id, klass, header, rest = parse(token)
    if klass == HOLD_CLASS and not _reading_held.get():
        raise HeldKeyError(f"subject {subject_id} is a legal hold's key")
    key = data_key(subject_id, klass)
    return _cipher(key).decrypt(rest[:12], rest[12:], header).decode()


@lru_cache(maxsize=1)
def _index_key() -> bytes:
    return base64.urlsafe_b64decode(read_or_create_secret(settings.INDEX_KEY_FILE))


def blind_index(kind: str, value: str) -> str:
    """Return the keyed hash used to find ``value`` of ``kind`` ('email', 'phone') exactly."""
    normal = value.strip().lower() if kind == "email" else value.strip()
    digest = hmac.new(_index_key(), f"{kind}:{normal}".encode(), hashlib.sha256)
    return digest.hexdigest()[:40]
