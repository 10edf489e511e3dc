"""A benchmark's own data set: an environment that points at it, seeding it once with
``seed_demo`` (or bringing a reused one up to date), and measuring in this process on it.

Issue 13's parts share these steps; each keeps its data set under ``var/bench/``.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import harness

HOSTPACT = str(harness.VENV_BIN / "hostpact")
# Variables that would point the run at somebody else's database, keys or mail server.
FOREIGN_ENV = ["DATABASE_URL", "HOSTPACT_MASTER_KEY", "HOSTPACT_MASTER_KEY_FILE",
               "HOSTPACT_INDEX_KEY_FILE", "HOSTPACT_AUDIT_KEY_FILE", "HOSTPACT_CLOCK_FILE",
               "HOSTPACT_ENV", "HOSTPACT_DEBUG", "HOSTPACT_SMTP_URL"]


def bench_env(data_dir: Path) -> dict:
    """Return this process's environment, pointed at ``data_dir`` and nothing foreign."""
    env = {k: v for k, v in os.environ.items() if k not in FOREIGN_ENV}
    env.update({"HOSTPACT_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "hostpact.settings",
                "HOSTPACT_RDS_ALLOW": "127.0.0.1", "PYTHONUNBUFFERED": "1"})
    return env


def _hostpact(env, *argv) -> None:
    subprocess.run([HOSTPACT, *argv], cwd=harness.ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def seed(data_dir: Path, env: dict, *, reuse: bool, seed_args: list) -> dict:
    """Migrate and ``seed_demo`` (its wall clock), or only migrate a data set ``reuse`` keeps."""
    if reuse and (data_dir / "hostpact.sqlite3").exists():
        _hostpact(env, "migrate", "--noinput")  # it may be older than the newest migrations
        return {"status": "reused"}
    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    _hostpact(env, "migrate", "--noinput")
    t0 = time.perf_counter()
    _hostpact(env, "seed_demo", *seed_args)
    return {"status": "ok", "seconds": time.perf_counter() - t0}


def in_process(env: dict, measure, *args):
    """Return ``measure(*args)`` run here with ``env`` (it sets Django up on the data set)."""
    saved = dict(os.environ)
    try:
        os.environ.update(env)
        sys.path.insert(0, str(harness.ROOT / "src"))
        return measure(*args)
    finally:
        os.environ.clear()
        os.environ.update(saved)
