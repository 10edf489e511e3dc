"""Bulk loading for seeding: many subjects' keys, their ciphertext, rows by ``executemany``.

The demo seeders (subscribers in ``panel``, domains and contacts in ``domains``) load hundreds
of thousands of rows; the per-row paths (``crypto.encrypt`` reading a key per subject, the ORM's
``save``) would take minutes. Here a subject's key is made and wrapped once, its values are
sealed with one cipher object in ``crypto.encrypt``'s exact format, and rows go in with one
``executemany`` per table, so what is loaded reads back through the models like anything else.
"""

import base64
import os
import uuid

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import DEFAULT_DB_ALIAS, connections

from hostpact.core import crypto


class Sealer:
    """Encrypts many values of one subject with one cipher object (``crypto.encrypt``'s format)."""

    def __init__(self, subject_id: uuid.UUID, key: bytes, klass: str = crypto.DEFAULT_CLASS):
        self.header = subject_id.bytes + klass.encode()
        self.lead = bytes([len(klass)]) + self.header
        self.aead = AESGCM(key)

    def __call__(self, text: str | None) -> str | None:
        if text is None or text == "":
            return None
        nonce = os.urandom(12)
        blob = self.lead + nonce + self.aead.encrypt(nonce, text.encode(), self.header)
        return crypto.PREFIX + base64.urlsafe_b64encode(blob).decode()


def new_key(subject_id: uuid.UUID, klass: str = crypto.DEFAULT_CLASS) -> tuple[dict, Sealer]:
    """Return a fresh data key of (subject, class) as a ``DataKey`` row and its sealer."""
    key = AESGCM.generate_key(bit_length=256)
    key_id, wrapped = crypto.wrap(key)
    row = {"subject_id": subject_id, "retention_class": klass, "master_key_id": key_id,
           "wrapped": wrapped}
    return row, Sealer(subject_id, key, klass)


# Columns whose Python values the drivers take as they are (SQLite and PostgreSQL alike).
AS_IS = {"CharField", "TextField", "SlugField", "BooleanField", "IntegerField",
         "BigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
         "SmallIntegerField", "AutoField", "BigAutoField"}


def _prep(field, conn):
    """Return the function that makes a column's value ready for the driver, or None."""
    target = field.target_field if field.is_relation else field
    kind = target.get_internal_type()
    if kind in AS_IS:
        return None
    if kind == "DateTimeField":  # a batch repeats few moments; converting each is costly
        seen: dict = {}

        def moment(value):
            if value not in seen:
                seen[value] = target.get_db_prep_save(value, conn)
            return seen[value]
        return moment
    return lambda value: target.get_db_prep_save(value, conn)


def insert_rows(model, rows: list[dict]) -> None:
    """INSERT ``rows`` (dicts by attname) with executemany; unset columns get their default."""
    if not rows:
        return
    conn = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: the proxy costs per value
    meta = model._meta
    given = list(rows[0])
    fields = [meta.get_field(name) for name in given]
    extra = [f for f in meta.concrete_fields
             if not f.primary_key and f.attname not in given and f.name not in given]
    defaults = [f.get_default() if f.has_default() else None for f in extra]
    preps = [_prep(f, conn) for f in fields]
    extra_values = [f.get_db_prep_save(v, conn) for f, v in zip(extra, defaults, strict=True)]
    qn = conn.ops.quote_name
    columns = ", ".join(qn(f.column) for f in [*fields, *extra])
    marks = ", ".join(["%s"] * (len(fields) + len(extra)))
    params = [
        [v if p is None or v is None else p(v)
         for v, p in zip(row.values(), preps, strict=True)] + extra_values
        for row in rows
    ]
    # Table and column names come from model metadata; every value is a parameter.
    sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    with conn.cursor() as cur:
        cur.executemany(sql, params)
