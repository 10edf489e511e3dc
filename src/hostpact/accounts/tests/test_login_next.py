"""Where login sends a subscriber: the ``next`` page they asked for, taken as a URL, never as
a URL name, so a ``next`` that happens to be a word cannot break the page."""

import pytest

from hostpact.accounts.tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("target", ["foo", "home"])
def test_a_word_as_next_is_followed_as_a_relative_url(client, subscriber, target):
    """A signed-in subscriber opening the login page with ``next=foo`` is redirected to
    ``foo`` as written (a relative URL), not answered with a 500 nor sent to a named page."""
    client.force_login(subscriber)
    resp = client.get("/login/", {"next": target})
    assert resp.status_code == 302 and resp["Location"] == target


def _login(client, user, **next_):
    return client.post("/login/", {"username": user.email, "password": PASSWORD, **next_})


def test_login_with_a_word_as_next_redirects_to_it(client, subscriber):
    """Logging in with ``next=foo`` redirects to ``foo`` as written."""
    resp = _login(client, subscriber, next="foo")
    assert resp.status_code == 302 and resp["Location"] == "foo"


def test_login_without_next_lands_on_the_control_panel(client, subscriber):
    """Logging in with no ``next`` (or one leaving the site) lands on the control panel."""
    assert _login(client, subscriber)["Location"] == "/panel/"
    client.logout()
    assert _login(client, subscriber, next="https://elsewhere.test/")["Location"] == "/panel/"
