"""Domain search at /domains/: every TLD at once, IDNs, the rules' messages, suggestions."""

import pytest
from django.utils.html import escape

from hostpact.domains import registry
from hostpact.domains.search import search_domains
from hostpact.storefront.tests.helpers import taken_by_someone

pytestmark = pytest.mark.django_db


def test_a_bare_label_is_searched_under_every_tld():
    """A label alone answers label.<tld> for each served TLD, all available."""
    found = search_domains("shop")
    assert [r.name.ascii for r in found.results] == ["shop.test", "shop.example"]
    assert all(r.available for r in found.results) and found.suggestions == []


def test_a_full_name_comes_first_then_the_label_in_the_other_tlds():
    """shop.example answers shop.example first, then shop.test."""
    found = search_domains("Shop.Example")
    assert [r.name.ascii for r in found.results] == ["shop.example", "shop.test"]


def test_a_taken_name_is_taken_and_gets_free_variants(subscriber):
    """A registered name shows as taken, with a few deterministic free variants in its TLD."""
    taken_by_someone("bazaar.test")
    taken_by_someone("getbazaar.test")
    found = search_domains("bazaar")
    assert [(r.name.ascii, r.available) for r in found.results] == [
        ("bazaar.test", False), ("bazaar.example", True)]
    assert [s.name.ascii for s in found.suggestions] == [
        "mybazaar.test", "thebazaar.test", "bazaaronline.test", "bazaarhq.test"]
    assert search_domains("bazaar").suggestions == found.suggestions


def test_every_name_goes_to_the_registry_in_one_check(monkeypatch):
    """Results and suggestions are checked with a single registry call."""
    calls = []
    real = registry.connector

    def counting():
        client = real()
        check = client.check

        def one(names):
            calls.append(list(names))
            return check(names)

        client.check = one
        return client

    monkeypatch.setattr("hostpact.domains.search.connector", counting)
    search_domains("bazaar.test")
    assert len(calls) == 1 and len(calls[0]) == 2 + 6


def test_an_idn_is_accepted_and_shown_in_its_u_label(client):
    """bücher is searched as xn--bcher-kva and shown as bücher, under both TLDs."""
    found = search_domains("bücher")
    assert [r.name.ascii for r in found.results] == ["xn--bcher-kva.test",
                                                     "xn--bcher-kva.example"]
    page = client.get("/domains/", {"q": "bücher"}).content.decode()
    assert "bücher.test" in page and "xn--bcher-kva.test" in page


@pytest.mark.parametrize("query,rule", [
    ("-shop", "hyphen"), ("sh op", "ldh"), ("a" * 64, "label_length"),
    ("ab--cd", "reserved_hyphens"), ("shop.com", "tld"), ("www.shop.test", "not_registrable"),
    ("xn--zz", "reserved_hyphens"),
])
def test_a_bad_name_answers_the_rule_it_breaks(client, query, rule):
    """An invalid query answers 400 with the message of the rule broken, and no results."""
    resp = client.get("/domains/", {"q": query})
    assert resp.status_code == 400
    assert resp.context["search"].rule == rule
    assert escape(resp.context["search"].error) in resp.content.decode()
    assert resp.context["rows"] == []


def test_the_page_shows_prices_with_gst_and_add_to_cart_forms(client):
    """Each free name shows its TLD's registration price a year with GST, and a form with
    years 1-10 and a privacy checkbox."""
    page = client.get("/domains/", {"q": "shop"}).content.decode()
    assert "₹942.82" in page  # 799.00 + 18 % GST
    assert "₹1,178.82" in page  # 999.00 + 18 % GST
    assert page.count('name="privacy"') == 2 and '<option value="10">10</option>' in page
    assert 'src="/static/storefront/search.js"' in page and "<script>" not in page


def test_the_fragment_answers_only_the_results(client):
    """?fragment=1 answers the results block alone, for the script that searches as one
    types."""
    resp = client.get("/domains/", {"q": "shop", "fragment": "1"})
    body = resp.content.decode()
    assert resp.status_code == 200 and body.lstrip().startswith('<div id="search-results"')
    assert "<html" not in body and "shop.example" in body


def test_the_home_page_shows_the_plans_with_prices_per_cycle(client):
    """The home page lists the catalogue by kind with each cycle's price incl. GST, and the
    search form."""
    page = client.get("/").content.decode()
    for kind in ("Shared hosting", "VPS", "Dedicated server", "SSL certificate", "Email"):
        assert kind in page
    assert "₹175.82" in page  # Starter monthly 149.00 + GST
    assert 'action="/domains/"' in page and 'href="/signup/"' in page


def test_a_search_over_five_tlds_costs_two_queries(client, settings,
                                                   django_assert_num_queries):
    """Searching five TLDs with suggestions is one registry query and one for the prices."""
    settings.DOMAIN_TLDS = ["test", "example", "shop", "web", "site"]
    taken_by_someone("bazaar.test")
    with django_assert_num_queries(2):
        resp = client.get("/domains/", {"q": "bazaar", "fragment": "1"})
    assert len(resp.context["rows"]) == 5 and resp.context["suggestions"]
