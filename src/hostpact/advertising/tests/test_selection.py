"""Ads shown on our pages without identity: only to signed-in members of the audience who
granted advertising consent, with no targeting data in the page, and clicks through our
redirect with nothing added to the advertiser's URL (C24)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from hostpact.advertising import selection, services
from hostpact.advertising.models import AdDay
from hostpact.advertising.tests.helpers import gender_split, png
from hostpact.consent import state as consent_state
from hostpact.consent.state import COOKIE
from hostpact.consent.tests.helpers import consent_cookie
from hostpact.testing.factories import make_staff

TARGET = "https://ads.example/spring?campaign=7"
DASHBOARD = "panel:dashboard"


@pytest.fixture
def live(crowd, attributes, make_campaign, frozen_day):
    """An active campaign whose audience is the first 120 of the crowd (the men)."""
    attributes.set(gender_split(crowd, males=120))
    campaign = services.define_audience(make_campaign(), {"genders": ["male"]},
                                        actor="staff:test")
    creative = services.upload_creative(campaign, SimpleUploadedFile("a.png", png(300, 250)),
                                        "Fast web hosting, half price", TARGET, actor="staff:test")
    services.activate_campaign(campaign, actor="staff:test")
    return campaign, creative


def _login(client, user_id, *, advertising=True):
    client.force_login(get_user_model().objects.get(pk=user_id))
    client.cookies[COOKIE] = consent_cookie(["advertising"] if advertising else ["functional"])


def _aside(html: str) -> str | None:
    found = re.search(r'<aside aria-label="Advertisement".*?</aside>', html, re.S)
    return found.group(0) if found else None


@pytest.mark.commitment("C24")
def test_a_member_with_advertising_consent_sees_the_ad_and_an_impression_counts(client, crowd,
                                                                               live):
    """The dashboard of a man who allowed advertising carries the ad; one impression counts."""
    campaign, creative = live
    _login(client, crowd[0][0])
    html = client.get(reverse(DASHBOARD)).content.decode()
    aside = _aside(html)
    assert aside is not None
    assert reverse("advertising:image", args=[creative.pk, "png"]) in aside
    assert 'rel="sponsored noopener noreferrer"' in aside
    assert AdDay.objects.get(creative=creative).impressions == 1


@pytest.mark.commitment("C24")
def test_no_ad_without_advertising_consent_for_non_members_or_anonymous(client, crowd, live):
    """A member who did not grant advertising, a woman outside the audience, a visitor and a
    staff member see no ad, and nothing is counted."""
    _login(client, crowd[1][0], advertising=False)
    assert _aside(client.get(reverse(DASHBOARD)).content.decode()) is None
    _login(client, crowd[200][0])
    assert _aside(client.get(reverse(DASHBOARD)).content.decode()) is None
    client.logout()
    assert _aside(client.get(reverse("storefront:home")).content.decode()) is None
    request = RequestFactory().get("/")
    request.consent = consent_state.Consent(granted=frozenset({"required", "advertising"}))
    request.user = AnonymousUser()
    assert selection.ad_for(request, "storefront") is None
    request.user = make_staff(groups=("marketing",))
    assert selection.ad_for(request, "dashboard") is None
    assert not AdDay.objects.filter(impressions__gt=0).exists()


@pytest.mark.commitment("C24")
def test_the_page_carries_no_targeting_data_nor_the_advertisers_url(client, crowd, live):
    """The slot names neither the audience, the campaign nor the advertiser's URL: only our
    image and our redirect."""
    campaign, _creative = live
    _login(client, crowd[0][0])
    html = client.get(reverse(DASHBOARD)).content.decode()
    aside = _aside(html)
    assert "ads.example" not in html and "spring?campaign" not in html
    for word in ("male", "25-34", "gender", "audience", campaign.name, str(campaign.advertiser)):
        assert word not in aside
    hrefs = re.findall(r'(?:href|src)="([^"]+)"', aside)
    assert hrefs and all(h.startswith("/ads/") for h in hrefs)


@pytest.mark.commitment("C24")
def test_a_click_redirects_to_the_url_as_given_and_counts(client, crowd, live):
    """Our redirect answers 302 to the advertiser's URL exactly as uploaded (no identifier
    added), sends no referrer, and counts one click for the day."""
    _campaign, creative = live
    _login(client, crowd[0][0])
    aside = _aside(client.get(reverse(DASHBOARD)).content.decode())
    link = re.search(r'<a href="([^"]+)"', aside).group(1)
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == TARGET
    assert response["Referrer-Policy"] == "no-referrer"
    assert AdDay.objects.get(creative=creative).clicks == 1


def test_a_forged_click_token_answers_404_and_counts_nothing(client, live):
    """A token not signed by us is not one of our ads."""
    response = client.get(reverse("advertising:click", args=["WzEsNzM5MDAwXQ:forged"]))
    assert response.status_code == 404
    assert not AdDay.objects.filter(clicks__gt=0).exists()


def test_the_image_is_served_from_our_url_with_cache_headers(client, live):
    """The creative's bytes come from us, under the type read at upload, cacheable."""
    _campaign, creative = live
    response = client.get(reverse("advertising:image", args=[creative.pk, "png"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "max-age" in response["Cache-Control"]
    assert client.get(reverse("advertising:image", args=[creative.pk, "gif"])).status_code == 404


def test_a_paused_campaign_is_not_shown(client, crowd, live):
    """Pausing stops the ad on the next page."""
    campaign, _creative = live
    services.pause_campaign(campaign, actor="staff:test")
    selection.clear_cache()
    _login(client, crowd[0][0])
    assert _aside(client.get(reverse(DASHBOARD)).content.decode()) is None
