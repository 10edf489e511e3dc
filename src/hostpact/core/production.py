"""Refuse to start in production without TLS settings, a real secret and a master key."""

import base64
import binascii
import json
import os
import sys
from urllib.parse import urlparse

# Outgoing mail carries names and addresses to the provider (C35): STARTTLS or SMTPS only.
ENCRYPTED_SMTP = ("smtp+starttls", "smtps")


class InsecureProductionSettings(SystemExit):
    pass


def problems() -> list[str]:
    """What is missing for production, read straight from the environment."""
    missing = []
    secret = os.environ.get("HOSTPACT_SECRET_KEY", "")
    if len(secret) < 50 or len(set(secret)) < 5 or secret.startswith("django-insecure"):
        missing.append("HOSTPACT_SECRET_KEY must be set to a random string of 50+ characters")
    if not os.environ.get("HOSTPACT_ALLOWED_HOSTS", "").strip(","):
        missing.append("HOSTPACT_ALLOWED_HOSTS must name the host names served")
    if urlparse(os.environ.get("HOSTPACT_SMTP_URL", "")).scheme not in ENCRYPTED_SMTP:
        missing.append("HOSTPACT_SMTP_URL must send mail encrypted: smtp+starttls://host:port "
                       "(STARTTLS) or smtps://host:port (SMTPS), not plain smtp://")
    key_file = os.environ.get("HOSTPACT_MASTER_KEY_FILE", "")
    master = os.environ.get("HOSTPACT_MASTER_KEY", "")
    if master:
        if not _is_aes256_key(master):
            missing.append("HOSTPACT_MASTER_KEY must be 32 random bytes, urlsafe-base64 encoded")
    elif not (key_file and os.path.exists(key_file)):
        missing.append("HOSTPACT_MASTER_KEY or an existing HOSTPACT_MASTER_KEY_FILE is required")
    elif not _is_keyring(key_file):
        missing.append("HOSTPACT_MASTER_KEY_FILE must hold a keyring "
                       '{"active": id, "keys": {id: key}} readable by this user')
    return missing


def _is_aes256_key(text: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(text)) == 32
    except (binascii.Error, ValueError):
        return False


def _is_keyring(path: str) -> bool:
    """A key file an operator wrote by hand is checked here rather than at the first sign-up."""
    try:
        with open(path) as fh:
            ring = json.load(fh)
        return _is_aes256_key(ring["keys"][ring["active"]])
    except (OSError, ValueError, KeyError, TypeError):
        return False


def require_production_settings() -> None:
    """Exit with the list of problems when HOSTPACT_ENV=production is not safely configured."""
    if os.environ.get("HOSTPACT_ENV", "development") != "production":
        return
    missing = problems()
    if missing:
        sys.stderr.write("hostpact refuses to start in production:\n")
        sys.stderr.writelines(f"  - {m}\n" for m in missing)
        raise InsecureProductionSettings(2)
