"""Reads of the precomputed records for the servers (RDAP's lean path, WHOIS): raw queries.

The ORM would cost as much as the rest of an answer. RDAP keeps opened bodies in a bounded
cache; WHOIS reads its text each time (a new connection per query gains little from a cache).

A record is never updated in place: ``records`` rewrites it by deleting the old row and
inserting a new one, and ids are never reused (AUTOINCREMENT on SQLite, sequences on
PostgreSQL), so a record's id names its version. A look-up first reads the id and the state
of the data key (one indexed query that does not touch the body); an opened body is kept by
id, so only a record not seen before costs the second query, the decoding and the
decryption. The key's state is read on every request, so a shredded key is seen at once, and
a rewritten record has a new id, so it is never answered from the cache.

No request signals close the connection here, so a failed query drops the connection and
is tried once more.
"""

import base64
import datetime
import zlib

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import DEFAULT_DB_ALIAS, connections

from hostpact.core import crypto
from hostpact.core.models import DataKey
from hostpact.rds.models import REGISTRATION, Record

_FROM = (f"FROM {Record._meta.db_table} r JOIN {DataKey._meta.db_table} k "  # noqa: S608 - table names and a constant; values are bound
         f"ON k.subject_id = r.key_subject_id AND k.retention_class = '{REGISTRATION}' ")
_HEAD = ("SELECT r.id, r.updated_at, k.master_key_id, k.wrapped, k.shredded_at " + _FROM
         + "WHERE r.kind = {p} AND r.key = {p}")
_BODY = f"SELECT rdap FROM {Record._meta.db_table} WHERE id = {{p}}"  # noqa: S608 - as above
_WHOIS = ("SELECT r.whois, r.updated_at, k.master_key_id, k.wrapped, k.shredded_at " + _FROM
          + "WHERE r.kind = 'domain' AND r.key = {p}")
# A byte-order range of keys: SQLite compares bytes; PostgreSQL is told to (a language
# collation would sort "ab-c" outside the range of "ab-").
_PREFIX = ("SELECT r.id, k.master_key_id, k.wrapped, k.shredded_at, r.key, r.rdap " + _FROM
           + "WHERE r.kind = {p} AND r.key{c} >= {p} AND r.key{c} < {p} ORDER BY r.key{c} "
           "LIMIT {limit}")
CACHE_BYTES = 64 * 1024 * 1024
# (record id, key, updated_at) -> its RDAP body, compressed: the id alone names a version;
# the others keep a database restored under a running server from mixing bodies up.
_opened: dict[tuple, bytes] = {}
_cached_bytes = 0


def _query(sql: str, params: tuple) -> list[tuple]:
    for attempt in (1, 2):
        db = connections[DEFAULT_DB_ALIAS]  # one look-up of the thread's connection
        try:
            if db.connection is None:
                db.ensure_connection()
            cursor = db.connection.cursor()
            try:
                cursor.execute(sql.replace("{p}", "?" if db.vendor == "sqlite" else "%s"),
                               params)
                return cursor.fetchall()
            finally:
                cursor.close()
        except Exception:
            if attempt == 2 or db.in_atomic_block:
                raise
            db.close()
    raise AssertionError("unreachable")


def _remember(version: tuple, body: bytes) -> None:
    global _cached_bytes
    if _cached_bytes + len(body) > CACHE_BYTES:
        forget()
    _opened[version] = body
    _cached_bytes += len(body)


def forget() -> None:
    """Drop every opened body (tests: a rolled-back test database reuses ids)."""
    global _cached_bytes
    _opened.clear()
    _cached_bytes = 0


def _aware(moment) -> datetime.datetime:
    if isinstance(moment, str):  # SQLite's raw rows give text
        moment = datetime.datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _compressed(token: str | None, key_id: str, wrapped) -> bytes | None:
    """The decrypted, still compressed body of a stored token (``models.CompressedBody``)."""
    if token is None:
        return None
    if not token.startswith(crypto.PREFIX):
        return base64.b64decode(token)
    _, _, header, rest = crypto.parse(token)
    data_key = crypto.unwrap(key_id, bytes(wrapped))
    return base64.b64decode(AESGCM(data_key).decrypt(rest[:12], rest[12:], header))


def _decrypt(token: str | None, key_id: str, wrapped) -> bytes | None:
    """The UTF-8 body of a stored token, or None."""
    packed = _compressed(token, key_id, wrapped)
    return None if packed is None else zlib.decompress(packed)


def one(kind: str, key: str) -> bytes | None:
    """The stored RDAP body (UTF-8 JSON) of ``kind``/``key``, or None (none, or its key is
    shredded). The cache keeps bodies compressed: five times as many fit, and inflating one
    costs less than reading and decrypting it again."""
    rows = _query(_HEAD, (kind, key))
    if not rows:
        return None
    record_id, updated_at, key_id, wrapped, shredded_at = rows[0]
    if wrapped is None or shredded_at is not None:
        return None
    version = (record_id, key, updated_at)
    packed = _opened.get(version)
    if packed is None:
        found = _query(_BODY, (record_id,))
        packed = _compressed(found[0][0], key_id, wrapped) if found else None
        if packed is None:
            return None
        _remember(version, packed)
    return zlib.decompress(packed)


def by_prefix(kind: str, prefix: str, limit: int) -> list[tuple[str, bytes]]:
    """Up to ``limit`` (key, body) of ``kind`` whose key starts with ``prefix``, by key."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)  # the first key past the prefix's range
    collate = "" if connections[DEFAULT_DB_ALIAS].vendor == "sqlite" else ' COLLATE "C"'
    sql = _PREFIX.replace("{limit}", str(int(limit))).replace("{c}", collate)
    rows = _query(sql, (kind, prefix, upper))
    found = []
    for _, key_id, wrapped, shredded_at, key, token in rows:
        if wrapped is not None and shredded_at is None:
            body = _decrypt(token, key_id, wrapped)
            if body is not None:
                found.append((key, body))
    return found


def domain_whois(name: str) -> tuple[str, datetime.datetime] | None:
    """The WHOIS record lines of the sponsored domain ``name`` (A-label) and when the record
    was written, or None (no record, or its key shredded)."""
    rows = _query(_WHOIS, (name,))
    if not rows:
        return None
    token, updated_at, key_id, wrapped, shredded_at = rows[0]
    if not token or wrapped is None or shredded_at is not None:
        return None
    return _decrypt(token, key_id, wrapped).decode(), _aware(updated_at)
