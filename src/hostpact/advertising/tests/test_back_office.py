"""The advertising back office: marketing and compliance staff run campaigns through services;
the audience size shows only as "at least 100"; the report download needs the gate (C24)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hostpact.advertising.models import AdCampaign, Creative
from hostpact.advertising.tests.helpers import gender_split, png
from hostpact.privacy.disclosures.models import Agreement, Disclosure
from hostpact.privacy.disclosures.services import save_agreement
from hostpact.testing.factories import make_staff

ADD = "admin:advertising_adcampaign_add"
CHANGE = "admin:advertising_adcampaign_change"


@pytest.fixture
def marketing(client, db):
    client.force_login(make_staff(groups=("marketing",)))
    return client


def test_support_staff_cannot_open_advertising(client, db):
    """A role without advertising is refused the pages."""
    client.force_login(make_staff(groups=("support",)))
    assert client.get(reverse(ADD)).status_code == 403


def test_marketing_creates_a_campaign_for_an_advertiser(marketing, advertiser):
    """The form creates a draft for the chosen advertiser recipient."""
    response = marketing.post(reverse(ADD), {"advertiser": advertiser.pk, "name": "Spring",
                                             "starts_on": "2026-03-01"})
    campaign = AdCampaign.objects.get()
    assert response.status_code == 302
    assert (campaign.advertiser, campaign.state) == (advertiser, "draft")


def test_a_bad_campaign_form_names_the_field_and_creates_nothing(marketing, advertiser):
    """An end before the start is refused beside the field."""
    response = marketing.post(reverse(ADD), {"advertiser": advertiser.pk, "name": "Spring",
                                             "starts_on": "2026-03-01", "ends_on": "2026-02-01"})
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()
    assert not AdCampaign.objects.exists()


@pytest.mark.commitment("C24")
def test_the_audience_page_shows_only_at_least_100_or_the_refusal(marketing, crowd, attributes,
                                                                  make_campaign):
    """137 men: the page says "at least 100", never 137; 99 women are refused on the page."""
    attributes.set(gender_split(crowd, males=137))
    campaign = make_campaign()
    url = reverse(CHANGE, args=[campaign.pk])
    marketing.post(url, {"action": "audience", "genders": ["male"]})
    page = marketing.get(url).content.decode()
    assert "at least 100 subscribers" in page and "137" not in page
    attributes.set(gender_split(crowd, males=len(crowd) - 99))
    other = make_campaign("Women")
    response = marketing.post(reverse(CHANGE, args=[other.pk]),
                              {"action": "audience", "genders": ["female"]})
    assert response.status_code == 400
    assert "fewer than 100" in response.content.decode()


def test_a_creative_upload_refusal_is_shown_beside_the_image_field(marketing, make_campaign):
    """A script named ad.png is refused on the page; nothing stored."""
    campaign = make_campaign()
    response = marketing.post(reverse(CHANGE, args=[campaign.pk]), {
        "action": "creative", "alt_text": "Offer", "target_url": "https://ads.example/",
        "image": SimpleUploadedFile("ad.png", b"<script>x</script>")})
    assert response.status_code == 400
    assert "not a PNG, JPEG, GIF or WebP image" in response.content.decode()
    assert not Creative.objects.exists()


@pytest.mark.commitment("C24")
def test_the_download_button_gives_a_csv_after_the_gate_or_its_refusal(marketing, advertiser,
                                                                       make_campaign):
    """With a valid agreement: a CSV and a disclosure; without: the reason, and no CSV."""
    campaign = make_campaign()
    url = reverse(CHANGE, args=[campaign.pk])
    response = marketing.post(url, {"action": "download"})
    assert response["Content-Type"].startswith("text/csv")
    assert Disclosure.objects.get().subject_count == 0
    for agreement in Agreement.objects.filter(recipient=advertiser):
        agreement.valid_until = datetime.date(2020, 1, 1)
        save_agreement(agreement, actor="staff:test")
    response = marketing.post(url, {"action": "download"}, follow=True)
    assert not response["Content-Type"].startswith("text/csv")
    assert "The report was not produced" in response.content.decode()
    assert Disclosure.objects.count() == 1


def test_activation_needs_an_audience_and_a_creative(marketing, crowd, attributes,
                                                     make_campaign):
    """Activate refuses a campaign without its audience; with both it goes live."""
    attributes.set(gender_split(crowd, males=0))
    campaign = make_campaign()
    url = reverse(CHANGE, args=[campaign.pk])
    page = marketing.post(url, {"action": "activate"}, follow=True).content.decode()
    assert "Define the audience first." in page
    marketing.post(url, {"action": "audience"})
    marketing.post(url, {"action": "creative", "alt_text": "Offer",
                         "target_url": "https://ads.example/",
                         "image": SimpleUploadedFile("ad.png", png())})
    marketing.post(url, {"action": "activate"})
    campaign.refresh_from_db()
    assert campaign.state == "active"
