"""Reads of the precomputed records for the lean RDAP path: raw queries, a bounded cache.

A record is never updated in place: ``records`` rewrites it by deleting the old row and
inserting a new one, and ids are never reused (AUTOINCREMENT on SQLite, sequences on
PostgreSQL), so a record's id names its version. A look-up first reads the id and the state
of the data key (one indexed query that does not touch the body); an opened body is kept by
id, so only a record not seen before costs the second query, the decoding and the
decryption. The key's state is read on every request, so a shredded key is seen at once, and
a rewritten record has a new id, so it is never answered from the cache.

The ORM and Django's request cycle are skipped for speed; because no request signals close
the connection here, a failed query drops the connection and is tried once more.
"""

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
_PREFIX = ("SELECT r.id, k.master_key_id, k.wrapped, k.shredded_at, r.key, r.rdap " + _FROM
           + "WHERE r.kind = {p} AND r.key >= {p} AND r.key < {p} ORDER BY r.key LIMIT {limit}")
CACHE_BYTES = 64 * 1024 * 1024
# (record id, key, updated_at) -> its RDAP body: the id alone names a version; the others
# keep a database restored under a running server from mixing bodies up.
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


def _decrypt(token: str | None, key_id: str, wrapped) -> bytes | None:
    if token is None:
        return None
    if not token.startswith(crypto.PREFIX):
        return token.encode()
    _, _, header, rest = crypto.parse(token)
    data_key = crypto.unwrap(key_id, bytes(wrapped))
    return AESGCM(data_key).decrypt(rest[:12], rest[12:], header)


def one(kind: str, key: str) -> bytes | None:
    """The stored RDAP body (UTF-8 JSON) of ``kind``/``key``, or None (none, or its key is
    shredded)."""
    rows = _query(_HEAD, (kind, key))
    if not rows:
        return None
    record_id, updated_at, key_id, wrapped, shredded_at = rows[0]
    if wrapped is None or shredded_at is not None:
        return None
    version = (record_id, key, updated_at)
    body = _opened.get(version)
    if body is None:
        found = _query(_BODY, (record_id,))
        body = _decrypt(found[0][0], key_id, wrapped) if found else None
        if body is not None:
            _remember(version, body)
    return body


def by_prefix(kind: str, prefix: str, limit: int) -> list[tuple[str, bytes]]:
    """Up to ``limit`` (key, body) of ``kind`` whose key starts with ``prefix``, by key."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)  # the first key past the prefix's range
    rows = _query(_PREFIX.replace("{limit}", str(int(limit))), (kind, prefix, upper))
    found = []
    for _, key_id, wrapped, shredded_at, key, token in rows:
        if wrapped is not None and shredded_at is None:
            body = _decrypt(token, key_id, wrapped)
            if body is not None:
                found.append((key, body))
    return found
