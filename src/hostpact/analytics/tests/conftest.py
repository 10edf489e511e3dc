"""Fixtures of the analytics tests: writers flushed by hand, consent given or not."""

import datetime

import pytest

from hostpact.consent.state import Consent
from hostpact.core import batchlog

START = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)
PERFORMANCE = Consent(granted=frozenset({"required", "performance"}), chosen=True,
                      consent_id="c" * 32)


@pytest.fixture(autouse=True)
def empty_writers():
    """Every writer starts and ends empty (rows appear when a test flushes)."""
    batchlog.discard_all()
    yield
    batchlog.discard_all()
