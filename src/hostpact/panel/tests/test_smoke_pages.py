"""Every page of the panel answers for the people it is for."""

import pytest

from hostpact.testing import pages

PUBLIC = ["/signup/"]
PANEL = ["/panel/", "/panel/information/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages_answer(client, url):
    """The public pages answer 200 without a login."""
    pages.assert_public(client, url)


@pytest.mark.django_db
@pytest.mark.parametrize("url", PANEL)
def test_panel_pages_need_login_and_answer(client, subscriber, url):
    """Panel pages send a visitor to the login page and answer 200 for a subscriber."""
    pages.assert_login_required(client, subscriber, url)
