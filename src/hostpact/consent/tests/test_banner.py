"""The banner's markup and assets: equal buttons, categories from the registry, size (C06)."""

import gzip
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.html import escape

from hostpact.privacy import cookies
from hostpact.testing.pages import assert_labelled

pytestmark = pytest.mark.django_db
STATIC = Path(__file__).resolve().parents[1] / "static" / "consent"


def test_the_banner_script_and_css_are_within_6_kb_gzipped():
    """banner.js and banner.css together weigh at most 6144 bytes gzipped."""
    data = (STATIC / "banner.js").read_bytes() + (STATIC / "banner.css").read_bytes()
    assert len(gzip.compress(data, compresslevel=9)) <= 6144


def test_the_banner_script_contacts_no_other_site():
    """The script names no address but the page's own."""
    source = (STATIC / "banner.js").read_text()
    assert "http" not in source.replace("XMLHttpRequest", "")


def test_the_banner_offers_three_equal_choices_and_every_category(client):
    """Accept all, Reject all and Customise share one style; each category shows its purpose
    and cookies; every control is labelled; the policy is linked."""
    html = client.get(reverse("storefront:home")).content.decode()
    assert '<button type="submit" name="action" value="accept">Accept all</button>' in html
    assert '<button type="submit" name="action" value="reject">Reject all</button>' in html
    assert 'class="button" href="/consent/?next=/" data-consent-customise' in html
    assert 'role="dialog" aria-labelledby="hp-consent-title"' in html
    for name in cookies.CATEGORIES:
        assert cookies.CATEGORY_TEXT[name] in html
    assert "hp_consent" in html and reverse("policy:current") in html
    assert_labelled(html)


@pytest.mark.commitment("C06")
def test_the_cookie_page_lists_every_declared_cookie(client):
    """/policy/cookies/ shows each cookie's name, category, purpose, lifetime, party and
    provider, and the policy annex includes the same table."""
    page = client.get(reverse("policy:cookies")).content.decode()
    annex = client.get(reverse("policy:current")).content.decode()
    for c in cookies.cookies():
        row = f'<tr data-cookie="{c.name}">'
        assert row in page and row in annex
        for cell in (c.category, c.purpose, c.lifetime, c.party, c.provider):
            assert f"<td>{escape(cell)}</td>" in page
    assert reverse("policy:cookies") in annex
