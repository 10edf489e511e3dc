"""The advertiser's report: impressions and clicks per day, cells under 100 suppressed, and
downloaded only through the disclosure gate as an aggregate about no one (C24)."""

import datetime

import pytest

from hostpact.advertising import report, services
from hostpact.advertising.tests.helpers import gender_split, png
from hostpact.privacy.disclosures.models import Agreement, Disclosure, DisclosureRefusal
from hostpact.privacy.disclosures.services import DisclosureRefused, save_agreement

D1, D2, D3 = (datetime.date(2026, 3, d) for d in (1, 2, 3))


@pytest.fixture
def shown(crowd, attributes, make_campaign, frozen_day):
    """A campaign shown 150, 120 and 40 times on three days, clicked 3 times on the first."""
    attributes.set(gender_split(crowd, males=0))
    campaign = services.define_audience(make_campaign(), {}, actor="staff:test")
    creative = services.upload_creative(campaign, png(), "An offer", "https://ads.example/",
                                        actor="staff:test")
    for day, views, clicks in ((D1, 150, 3), (D2, 120, 0), (D3, 40, 0)):
        for _ in range(views):
            services.record_impression(campaign.pk, creative.pk, day)
        for _ in range(clicks):
            services.record_click(campaign.pk, creative.pk, day)
    return campaign


@pytest.mark.commitment("C24")
def test_report_cells_under_100_are_suppressed(shown):
    """40 impressions and 3 clicks are hidden; so is the next smallest day beside a lone hidden
    one (120), so that the total cannot give it away; zero is shown."""
    got = report.report(shown)
    assert [(r.day, r.impressions, r.clicks) for r in got.rows] == [
        (D1, "150", "suppressed"), (D2, "suppressed", "0"), (D3, "suppressed", "0")]
    assert got.impressions_total == "310"  # the hidden days add up to 160: no one shows
    assert got.clicks_total == "suppressed"


@pytest.mark.commitment("C24")
def test_the_report_download_goes_through_the_gate_as_an_aggregate(shown):
    """The CSV is produced after a disclosure of system.aggregate about no subject."""
    before = Disclosure.objects.count()
    body = services.download_report(shown, actor="staff:1")
    disclosure = Disclosure.objects.get()
    assert Disclosure.objects.count() == before + 1
    assert disclosure.recipient.slug == "advertiser"
    assert disclosure.categories == ["system.aggregate"]
    assert disclosure.purpose == "analytics.reporting.ad_performance"
    assert disclosure.subject_count == 0
    assert body.splitlines() == ["day,impressions,clicks", "2026-03-01,150,suppressed",
                                 "2026-03-02,suppressed,0", "2026-03-03,suppressed,0",
                                 "total,310,suppressed"]


@pytest.mark.commitment("C24")
def test_no_report_for_an_advertiser_without_a_valid_agreement(shown, advertiser):
    """With its agreement ended, the gate refuses: no CSV, a refusal recorded, no disclosure."""
    for agreement in Agreement.objects.filter(recipient=advertiser):
        agreement.valid_until = datetime.date(2026, 2, 1)
        save_agreement(agreement, actor="staff:test")
    with pytest.raises(DisclosureRefused, match="no agreement"):
        services.download_report(shown, actor="staff:1")
    assert not Disclosure.objects.exists()
    assert DisclosureRefusal.objects.filter(recipient_slug="advertiser").exists()
