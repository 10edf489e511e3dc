"""Every page of the panel answers for the people it is for."""

import pytest

from hostpact.accounts.tests.helpers import web_login

PUBLIC = ["/signup/"]
PANEL = ["/panel/", "/panel/information/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages_answer(client, url):
    """The public pages answer 200 without a login."""
    assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", PANEL)
def test_panel_pages_need_login_and_answer(client, subscriber, url):
    """Panel pages send a visitor to the login page and answer 200 for a subscriber."""
    resp = client.get(url)
    assert resp.status_code == 302 and resp["Location"].startswith("/login/")
    assert web_login(client, subscriber).status_code == 302
    assert client.get(url).status_code == 200
