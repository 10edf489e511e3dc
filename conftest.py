"""Test set-up shared by every app: a fast hasher, hypothesis profiles, Chromium."""

import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from hostpact.testing.fixtures import *  # noqa: F401,F403

# The data directory and other environment are set by the hostpact.testing.env plugin,
# loaded with -p before Django reads its settings.


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
