"""The cached policy version: dropped on publishing and when the next version takes effect."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hostpact.consent import versions
from hostpact.core import clock
from hostpact.privacy.policy import services as policy

pytestmark = pytest.mark.django_db


def _publish(effective_at):
    return policy.publish_version(title="Next", text="# Policy\n\nNext.",
                                  effective_at=effective_at, actor="staff:1")


def test_the_version_is_read_once_then_from_memory():
    """Asking again within the minute runs no query."""
    versions.policy_version()
    with CaptureQueriesContext(connection) as queries:
        versions.policy_version()
    assert len(queries) == 0


def test_publishing_and_taking_effect_both_refresh_the_cached_version():
    """A version published now counts at once; one published for later counts from its
    moment, with no one clearing the cache."""
    start = clock.now()
    with clock.freeze(start):
        first = versions.policy_version()
        now_version = _publish(start)
        assert versions.policy_version() == now_version.number == first + 1
        later = _publish(start + datetime.timedelta(seconds=30))
        assert versions.policy_version() == now_version.number
    with clock.freeze(start + datetime.timedelta(seconds=30)):
        assert versions.policy_version() == later.number
        assert versions.policy_effective_at() == later.effective_at
