"""Refuse to start in production without TLS settings, a real secret and a master key."""

import os
import sys


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
    key_file = os.environ.get("HOSTPACT_MASTER_KEY_FILE", "")
    if not os.environ.get("HOSTPACT_MASTER_KEY") and not (key_file and os.path.exists(key_file)):
        missing.append("HOSTPACT_MASTER_KEY or an existing HOSTPACT_MASTER_KEY_FILE is required")
    return missing


def require_production_settings() -> None:
    """Exit with the list of problems when HOSTPACT_ENV=production is not safely configured."""
    if os.environ.get("HOSTPACT_ENV", "development") != "production":
        return
    missing = problems()
    if missing:
        sys.stderr.write("hostpact refuses to start in production:\n")
        sys.stderr.writelines(f"  - {m}\n" for m in missing)
        raise InsecureProductionSettings(2)
