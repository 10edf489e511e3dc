"""Look for plain text of personal data where it must not be: database bytes, files, rows."""

import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection


def database_bytes() -> bytes:
    """The SQLite file and its WAL after a checkpoint; empty on other engines."""
    if connection.vendor != "sqlite":
        return b""
    with connection.cursor() as cur:
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    name = Path(connection.settings_dict["NAME"])
    return b"".join(read_bytes(p) for p in (name, Path(f"{name}-wal")) if p.exists())


def read_bytes(path: Path) -> bytes:
    """Read a file in a child process.

    Closing any descriptor of a file drops every POSIX lock this process holds on it, SQLite's
    included; an open connection would then see its WAL index replaced under it by another
    process ("disk I/O error"). A child's descriptors are its own.
    """
    return subprocess.run(["cat", "--", str(path)], capture_output=True, check=True).stdout


def all_cells() -> list[str]:
    """Every cell of every table as text (works on SQLite and PostgreSQL)."""
    cells = []
    with connection.cursor() as cur:
        for table in connection.introspection.table_names(cur):
            cur.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cur.fetchall():
                cells.extend("" if v is None else str(v) for v in row)
    return cells


def ciphertexts_of(subject_id) -> dict[str, str]:
    """Every stored ciphertext naming ``subject_id`` in its header, with its key class."""
    from hostpact.core import crypto

    found = {}
    for cell in all_cells():
        if cell.startswith(crypto.PREFIX):
            sid, klass, _, _ = crypto.parse(cell)
            if sid == subject_id:
                found[cell] = klass
    return found


def data_dir_bytes(skip=("mail",)) -> dict[Path, bytes]:
    """Every file under the data directory except the mail catcher's outbox copy."""
    root = Path(settings.DATA_DIR)
    return {p: read_bytes(p) for p in root.rglob("*")
            if p.is_file() and not any(part in skip for part in p.relative_to(root).parts)}


def find_plaintext(needles: list[str]) -> list[str]:
    """Name every place one of ``needles`` appears in clear; empty when none does."""
    found = []
    blobs = {"database file": database_bytes(), "rows": "\n".join(all_cells()).encode()}
    blobs.update({str(p): b for p, b in data_dir_bytes().items()})
    for needle in needles:
        for variant in {needle, needle.lower(), needle.upper()}:
            encoded = variant.encode()
            found.extend(f"{variant!r} in {where}" for where, blob in blobs.items()
                         if encoded in blob)
    return found
