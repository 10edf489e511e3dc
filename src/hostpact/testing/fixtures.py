"""pytest fixtures shared by every app's tests."""

import pytest

from hostpact.testing import factories


@pytest.fixture
def subscriber(db):
    return factories.make_subscriber()


@pytest.fixture
def other_subscriber(db):
    return factories.make_subscriber()
