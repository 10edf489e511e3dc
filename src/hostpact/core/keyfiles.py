"""Create and read the key files under ``var/keys/``.

Kept free of Django imports so ``settings.py`` can use it: the development secret key is
generated here on first run, beside the master keyring and the blind-index and audit keys.
"""

import base64
import json
import os
import secrets
from pathlib import Path


def _write_private(path: Path, data: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(data)


def read_or_create_secret(path: Path, nbytes: int = 32) -> str:
    """Return the base64 secret stored at ``path``, creating it (mode 0600) if missing."""
    if not path.exists():
        try:
            _write_private(path, base64.urlsafe_b64encode(secrets.token_bytes(nbytes)).decode())
        except FileExistsError:  # another process created it first
            pass
    return path.read_text().strip()


def new_keyring_entry() -> tuple[str, str]:
    """Return a fresh (key id, base64 AES-256 key) pair."""
    return secrets.token_hex(4), base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def read_or_create_keyring(path: Path) -> dict:
    """Return the master keyring ``{"active": id, "keys": {id: b64}}``, creating it if missing."""
    if not path.exists():
        kid, key = new_keyring_entry()
        try:
            _write_private(path, json.dumps({"active": kid, "keys": {kid: key}}, indent=2))
        except FileExistsError:
            pass
    return json.loads(path.read_text())


def write_keyring(path: Path, ring: dict) -> None:
    """Replace the keyring atomically so a reader never sees half a file."""
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(json.dumps(ring, indent=2))
    os.replace(tmp, path)
