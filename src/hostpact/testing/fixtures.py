"""pytest fixtures shared by every app's tests."""

import pytest

from hostpact.testing import factories


@pytest.fixture
def subscriber(db):
    return factories.make_subscriber()


@pytest.fixture
def other_subscriber(db):
    return factories.make_subscriber()


from hostpact.testing.smtp import mail_catcher  # noqa: E402,F401 - the real SMTP catcher fixture
from hostpact.testing.social_provider import social_provider  # noqa: E402,F401 - stand-in widgets
