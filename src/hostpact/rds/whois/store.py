"""The read of a domain's precomputed WHOIS text: one raw query per look-up.

Port 43 opens a connection per query, so the look-up is most of the cost that is ours; the ORM
would double it. The record and its data key come in one query (as RDAP's ``rdap.store``
does), so a shredded key is seen at once, with no cache to go stale. No request signals close
this connection, so a failed query drops it and is tried once more on a fresh one.
"""

import datetime

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import connection

from hostpact.core import crypto
from hostpact.core.models import DataKey
from hostpact.rds.models import REGISTRATION, Record

_SQL = (f"SELECT r.whois, r.updated_at, k.master_key_id, k.wrapped, k.shredded_at "  # noqa: S608 - table names and a constant, no input
        f"FROM {Record._meta.db_table} r JOIN {DataKey._meta.db_table} k "
        f"ON k.subject_id = r.key_subject_id AND k.retention_class = '{REGISTRATION}' "
        f"WHERE r.kind = 'domain' AND r.key = {{p}}")
_SQL_SQLITE, _SQL_OTHER = _SQL.replace("{p}", "?"), _SQL.replace("{p}", "%s")


def _rows(name: str) -> list[tuple]:
    for attempt in (1, 2):
        try:
            raw = connection.connection
            if raw is None:  # not connected yet, or dropped after a failure
                connection.ensure_connection()
                raw = connection.connection
            cursor = raw.cursor()
            try:
                cursor.execute(_SQL_SQLITE if connection.vendor == "sqlite" else _SQL_OTHER,
                               (name,))
                return cursor.fetchall()
            finally:
                cursor.close()
        except Exception:
            if attempt == 2 or connection.in_atomic_block:
                raise
            connection.close()
    return []


def _aware(moment) -> datetime.datetime:
    if isinstance(moment, str):
        moment = datetime.datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def domain_whois(name: str) -> tuple[str, datetime.datetime] | None:
    """The WHOIS record lines of the sponsored domain ``name`` (A-label) and when the record
    was written, or None (no record, or its key shredded)."""
    rows = _rows(name)
    if not rows:
        return None
    token, updated_at, key_id, wrapped, shredded_at = rows[0]
    if not token or wrapped is None or shredded_at is not None:
        return None
    if not token.startswith(crypto.PREFIX):
        return token, _aware(updated_at)
    _, _, header, rest = crypto.parse(token)
    key = crypto.unwrap(key_id, bytes(wrapped))
    return AESGCM(key).decrypt(rest[:12], rest[12:], header).decode(), _aware(updated_at)
