"""Run the platform's commands in child processes against the test database.

Some behaviour only shows between processes (a worker killed mid-way, a key shredded in another
process); those tests start ``python -m hostpact …`` with this environment.
"""

import os
import subprocess
import sys

from django.db import connection


def database_url() -> str:
    """The ``DATABASE_URL`` of the test database this process is using."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def hostpact_env(**extra: str) -> dict:
    """This process's environment, pointed at the test database, plus ``extra``."""
    return {**os.environ, "DATABASE_URL": database_url(), **extra}


def run_hostpact(*args: str, env: dict | None = None, timeout: float = 300):
    """Run ``hostpact <args>`` to completion; fail the test with its stderr when it fails."""
    done = subprocess.run([sys.executable, "-m", "hostpact", *args], env=env or hostpact_env(),
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    return done
