"""Fixtures of the consent app's tests."""

import pytest

from hostpact.consent import versions


@pytest.fixture(autouse=True)
def _fresh_policy_version():
    """A version a rolled-back test published must not linger in the process's cache."""
    versions.forget()
    yield
    versions.forget()
