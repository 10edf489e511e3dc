"""The referral link /r/<code>: the click, the hp_ref cookie with advertising consent, the code
riding along without it, and what bad input gets."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.template import Context, Template

from hostpact.core import clock
from hostpact.privacy import cookies
from hostpact.referrals import links, views
from hostpact.referrals.models import Click
from hostpact.referrals.tests.helpers import ADS, NONE, NOW, get, referrer_code

pytestmark = pytest.mark.django_db


def _click(code, consent, **params):
    with clock.freeze(NOW):
        return views.click(get(f"/r/{code}", consent=consent, data=params), code)


@pytest.mark.commitment("C08")
def test_a_click_with_advertising_consent_sets_the_signed_referral_cookie():
    """With advertising granted, the click is recorded and hp_ref carries the code and the
    click id, signed, for 90 days; the visitor lands on the home page."""
    code = referrer_code()
    response = _click(code.code, ADS, b="leaderboard")
    assert response.status_code == 302 and response["Location"] == "/"
    click = Click.objects.get(code=code)
    assert (click.banner, click.at) == ("leaderboard", NOW)
    morsel = response.cookies[links.COOKIE]
    assert int(morsel["max-age"]) == 90 * 86400 and morsel["httponly"]
    assert links.read_cookie(morsel.value) == links.Carried(code.code, click.pk)
    declared = cookies.cookie(links.COOKIE)
    assert declared.category == cookies.ADVERTISING and declared.max_age == 90 * 86400


@pytest.mark.commitment("C08")
@pytest.mark.parametrize("consent", [NONE, None], ids=["refused", "no-consent-state"])
def test_a_click_without_advertising_consent_sets_no_cookie_and_carries_the_code(consent):
    """Without advertising consent (refused, or no consent state at all) no cookie is set:
    the code, banner and campaign ride along in the redirect's query instead."""
    code = referrer_code()
    response = _click(code.code.lower(), consent, b="micro", utm_campaign="spring")
    assert links.COOKIE not in response.cookies
    target = urlsplit(response["Location"])
    assert target.path == "/"
    assert parse_qs(target.query) == {"ref": [code.code], "b": ["micro"],
                                      "utm_campaign": ["spring"]}
    assert Click.objects.filter(code=code, banner="micro", utm_campaign="spring").count() == 1


@pytest.mark.commitment("C08")
@pytest.mark.parametrize("bad", ["NOSUCH99", "x", "bad-code!", "A" * 40, "%00%0d"])
def test_an_unknown_or_malformed_code_goes_home_without_cookie_or_click(bad):
    """An unknown or malformed code redirects home with nothing set and nothing recorded."""
    referrer_code()
    response = _click(bad, ADS)
    assert response.status_code == 302 and response["Location"] == "/"
    assert not response.cookies and not Click.objects.exists()


@pytest.mark.commitment("C10")
def test_campaign_parameters_are_validated_and_truncated():
    """Campaign values are kept as short tokens: cut to 64 characters, while values with an
    email address, markup or control characters are dropped, and other parameters ignored."""
    code = referrer_code()
    _click(code.code, NONE, utm_source="newsletter", utm_medium="a" * 200,
           utm_campaign="asha@example.test", utm_content="<script>", utm_term="line\nbreak",
           b="no-such-banner", email="asha@example.test")
    click = Click.objects.get()
    assert (click.utm_source, click.utm_medium) == ("newsletter", "a" * 64)
    assert click.utm_campaign == click.utm_content == click.utm_term == click.banner == ""


def test_a_client_following_the_link_without_consent_gets_no_referral_cookie(client):
    """Through the whole middleware stack, a visitor who made no choice is redirected with
    the code in the query and gets no hp_ref."""
    code = referrer_code()
    response = client.get(f"/r/{code.code}?utm_source=blog")
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query)["ref"] == [code.code]
    assert links.COOKIE not in response.cookies


def test_banner_images_are_svg_the_same_for_everyone(client):
    """Each banner size is an SVG image at a URL that names no code; an unknown one is 404."""
    response = client.get("/referrals/banners/rectangle.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert b'width="300"' in response.content and b"hostpact" in response.content
    assert client.get("/referrals/banners/huge.svg").status_code == 404


@pytest.mark.commitment("C08")
def test_the_referral_field_carries_a_valid_code_and_drops_a_malformed_one():
    """{% referral_field %} writes the visit's code, banner and campaign as hidden fields, and
    nothing for a code of the wrong shape."""
    template = Template("{% load referrals %}{% referral_field %}")
    good = get("/signup/", data={"ref": "abcd2345", "b": "full", "utm_source": "blog"})
    html = template.render(Context({"request": good}))
    assert '<input type="hidden" name="ref" value="ABCD2345">' in html
    assert 'name="ref_banner" value="full"' in html and 'name="utm_source" value="blog"' in html
    bad = get("/signup/", data={"ref": '"><script>'})
    assert template.render(Context({"request": bad})) == ""


def test_the_referral_query_carries_the_code_to_the_next_page_of_the_visit():
    """{% referral_query %} gives a link the visit's code and banner, and nothing without."""
    template = Template("{% load referrals %}/signup/{% referral_query %}")
    carrying = get("/", data={"ref": "ABCD2345", "b": "full"})
    assert (template.render(Context({"request": carrying}))
            == "/signup/?ref=ABCD2345&amp;ref_banner=full")
    assert template.render(Context({"request": get("/")})) == "/signup/"
