"""Test set-up shared by every app: a private data directory, a fast hasher, the markers."""

import os
import tempfile

_DATA = tempfile.mkdtemp(prefix="hostpact-test-")
os.environ.setdefault("HOSTPACT_DATA_DIR", _DATA)
os.environ.setdefault("HOSTPACT_SMTP_URL", "smtp://127.0.0.1:1")  # tests start their own catcher
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from hypothesis import HealthCheck  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

from hostpact.testing.fixtures import *  # noqa: E402,F401,F403


def pytest_configure(config):
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    common = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture,
                                                             HealthCheck.too_slow]}
    hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True, **common)
    hypothesis_settings.register_profile("dev", **common)
    hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args,
            "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/lib/chromium/chromium"),
            "args": ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                     "--disable-background-networking", "--disable-component-update"]}
