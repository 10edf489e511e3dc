"""Fixtures of the escrow tests: one GnuPG home a test session, a small portfolio.

The keys are generated once per session (per xdist worker) in a temporary GnuPG home, and its
gpg-agent is stopped at the end.
"""

import subprocess

import pytest
from django.test import override_settings

from hostpact.core import clock
from hostpact.domains.escrow import gpg
from hostpact.domains.escrow.tests.helpers import START
from hostpact.domains.services.contacts import set_publish
from hostpact.domains.tests.helpers import contact_fields, register


@pytest.fixture(scope="session")
def escrow_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("gnupg")
    with override_settings(ESCROW_GNUPG_HOME=home):
        gpg.ensure_keys()
    yield home
    subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"], check=False)


@pytest.fixture
def escrow(settings, escrow_home, tmp_path):
    """The session's keys and an escrow directory of the test's own."""
    settings.ESCROW_GNUPG_HOME = escrow_home
    settings.ESCROW_DIR = tmp_path / "escrow"
    return escrow_home


@pytest.fixture
def portfolio(subscriber):
    """Three domains registered on START: one with a published contact, one redacted, one
    privacy-protected (its customer is Kavya Private)."""
    with clock.freeze(START):
        published = register(subscriber, "shown.test")
        set_publish(published.roles.get(role="registrant").contact, True, actor="system:test")
        redacted = register(subscriber, "quiet.test")
        owner = contact_fields(name="Kavya Private", email="kavya@private.example")
        private = register(subscriber, "hidden.test", privacy=True,
                           contacts=dict.fromkeys(("registrant", "admin", "tech", "billing"),
                                                  owner))
    return {"published": published, "redacted": redacted, "private": private}
