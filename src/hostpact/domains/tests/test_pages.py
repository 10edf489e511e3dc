"""The panel's domain list and domain page: what they show, search, pages, the renew form."""

import datetime

import pytest
from django.urls import reverse

from hostpact.core import clock
from hostpact.domains.tests.helpers import contact_fields, register
from hostpact.domains.views import domains as views

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def panel(client, subscriber):
    client.force_login(subscriber)
    return client


@pytest.fixture
def domain(subscriber):
    with clock.freeze(START):
        return register(subscriber, "pages-list.test", contacts={
            "registrant": contact_fields(name="Asha Owner"),
            "admin": contact_fields(name="Arun Admin"), "tech": contact_fields(name="Tej Tech"),
            "billing": contact_fields(name="Bina Bill")})


def test_pages_need_a_login(client, domain):
    """Logged out, the list and a domain's page send the visitor to log in."""
    for url in (reverse("domains:list"), reverse("domains:detail", args=[domain.name])):
        resp = client.get(url)
        assert resp.status_code == 302 and reverse("accounts:login") in resp["Location"]


def test_the_list_shows_each_domain_with_its_settings(panel, subscriber, other_subscriber,
                                                     domain):
    """The list shows the U-label (the A-label in a title), state, expiry, auto-renew,
    privacy and lock of each of the subscriber's domains, and no one else's."""
    with clock.freeze(START):
        idn = register(subscriber, "bücher-pages.test", privacy=True)
    theirs = register(other_subscriber, "not-mine-list.test")
    with clock.freeze(START):
        body = panel.get(reverse("domains:list")).content.decode()
    assert idn.name.startswith("xn--")
    assert f'title="{idn.name}">bücher-pages.test</a>' in body
    assert ">pages-list.test</a>" in body and 'title="pages-list.test"' not in body
    assert theirs.name not in body
    assert "1 Mar 2027" in body  # one year from registration
    assert "locked" in body and "on" in body


def test_search_finds_by_a_label_part_or_u_label(panel, subscriber, domain):
    """A search narrows the list; a U-label finds the domain stored as its A-label."""
    register(subscriber, "bücher-search.test")
    register(subscriber, "other-search.test")
    body = panel.get(reverse("domains:list"), {"q": "bücher"}).content.decode()
    assert "bücher-search.test" in body and "other-search.test" not in body
    body = panel.get(reverse("domains:list"), {"q": "OTHER-"}).content.decode()
    assert "other-search.test" in body and "pages-list.test" not in body
    body = panel.get(reverse("domains:list"), {"q": "nothing-like-it"}).content.decode()
    assert "None of your domains matches" in body


def test_pages_of_the_list_keep_the_search(panel, subscriber, monkeypatch):
    """With more matches than a page holds, the next page's link keeps the search."""
    monkeypatch.setattr(views, "PER_PAGE", 2)
    for i in range(3):
        register(subscriber, f"paged{i}.test")
    body = panel.get(reverse("domains:list"), {"q": "paged"}).content.decode()
    assert "Page 1 of 2 (3 domains)" in body
    assert 'href="?q=paged&amp;page=2">Next</a>' in body
    body = panel.get(reverse("domains:list"), {"q": "paged", "page": "2"}).content.decode()
    assert "paged2.test" in body and "paged0.test" not in body


def test_the_domain_page_shows_dates_statuses_and_contacts(panel, domain):
    """Registration and expiry dates, each EPP status with its meaning, and the four contacts
    linked to their pages."""
    with clock.freeze(START):
        body = panel.get(reverse("domains:detail", args=[domain.name])).content.decode()
    assert "1 March 2026" in body and "1 March 2027" in body
    assert "<code>clientTransferProhibited</code>" in body
    assert views.STATUS_MEANINGS["clientTransferProhibited"] in body
    for role in domain.roles.select_related("contact"):
        assert reverse("domains:contact", args=[role.contact.handle]) in body
        assert role.contact.name in body
    assert "the lock can be lifted from 30 April 2026" in body


def test_a_u_label_in_the_address_opens_the_same_domain(panel, subscriber):
    """The page answers to the U-label as well as to the stored A-label."""
    idn = register(subscriber, "café-page.test")
    resp = panel.get(reverse("domains:detail", args=["café-page.test"]))
    assert resp.status_code == 200 and idn.name in resp.content.decode()


def test_an_unknown_domain_answers_404(panel):
    """A name the subscriber does not hold, or no valid name at all, is not found."""
    for name in ("nobody-has-this.test", "not a name"):
        assert panel.get(reverse("domains:detail", args=[name])).status_code == 404


def test_the_renew_form_puts_a_renewal_in_the_cart(panel, domain):
    """The page's Renew form posts kind=renew, the domain and the years to the cart, which
    then holds the renewal."""
    body = panel.get(reverse("domains:detail", args=[domain.name])).content.decode()
    assert f'action="{reverse("storefront:cart_add")}"' in body
    assert 'name="kind" value="renew"' in body
    assert f'name="domain" value="{domain.name}"' in body
    resp = panel.post(reverse("storefront:cart_add"),
                      {"kind": "renew", "domain": domain.name, "years": "2"})
    assert resp.status_code == 302
    cart = panel.get(reverse("storefront:cart")).content.decode()
    assert domain.name in cart
