"""Every page of the storefront (and the public pages on its way: login, sign-up, cookie
settings) and of the panel's domains answers, and labels and describes its controls."""

import pytest

from hostpact.domains.tests.helpers import register
from hostpact.testing import pages

PUBLIC = ["/", "/domains/", "/domains/?q=b%C3%BCcher", "/cart/", "/domains/complaints/new/",
          "/login/", "/signup/", "/consent/", "/policy/cookies/"]
PANEL = ["/panel/domains/", "/panel/domains/smoke.test/", "/panel/contacts/",
         "/panel/complaints/", "/panel/domains/leave/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages_answer_with_every_control_labelled(client, url):
    """The storefront's public pages answer 200 without a login, every control labelled."""
    pages.assert_public(client, url)
    pages.assert_labelled(client.get(url).content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("url", PANEL)
def test_domain_pages_need_login_and_label_every_control(client, subscriber, url):
    """The panel's domain pages send a visitor to log in, then answer 200 with every control
    labelled."""
    register(subscriber, "smoke.test")
    pages.assert_login_required(client, subscriber, url)
    pages.assert_labelled(client.get(url).content.decode())


@pytest.mark.django_db
def test_the_contact_page_labels_every_control(client, subscriber):
    """A contact's page (its edit form and publish choice) labels every control."""
    domain = register(subscriber, "smoke.test")
    handle = domain.roles.first().contact.handle
    client.force_login(subscriber)
    resp = client.get(f"/panel/contacts/{handle}/")
    assert resp.status_code == 200
    pages.assert_labelled(resp.content.decode())
