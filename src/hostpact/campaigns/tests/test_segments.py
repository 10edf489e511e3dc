"""Segments: the count before sending is who the list reaches within the product, country
and sign-up dates; a bad segment is refused naming the part at fault."""

import datetime

import pytest

from hostpact.billing import services as billing
from hostpact.billing.tests.helpers import price
from hostpact.campaigns import services
from hostpact.campaigns.models import Campaign
from hostpact.campaigns.segments import SegmentInvalid, clean_segment, count_segment
from hostpact.campaigns.tests.helpers import draft, subscribed
from hostpact.core import clock
from hostpact.marketing import services as marketing

pytestmark = pytest.mark.django_db
DAY = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)


def test_country_and_sign_up_dates_narrow_the_count():
    """Two Indian subscribers who joined in June, one German who joined in July: each rule
    counts whom it selects."""
    with clock.freeze(DAY):
        both = ("promotions", "newsletters")
        first, _ = subscribed(lists=both), subscribed(lists=both)
    with clock.freeze(DAY + datetime.timedelta(days=40)):
        subscribed(country="DE")
    assert count_segment("promotions", {}) == 3
    assert count_segment("promotions", {"country": "in"}) == 2
    assert count_segment("promotions", {"country": "DE"}) == 1
    assert count_segment("promotions", {"signed_up_after": "2026-07-01"}) == 1
    assert count_segment("promotions", {"signed_up_before": "2026-07-01"}) == 2
    marketing.set_subscription(first.subject_id, "newsletters", False, method="panel",
                               actor="system:test")
    assert count_segment("newsletters", {"country": "IN"}) == 1  # the other Indian


def test_the_product_rule_counts_active_services_of_that_product():
    """Only the subscriber with a paid (active) service of the product is counted."""
    buyer, _ = subscribed(), subscribed()
    plan = price()
    placed = billing.place_order(buyer, plan, "system")
    billing.pay_invoice(placed.invoice, "system")
    assert count_segment("promotions", {"product": plan.product.code}) == 1


@pytest.mark.parametrize(("segment", "field"), [
    ({"colour": "red"}, "colour"),
    ({"country": "India"}, "country"),
    ({"signed_up_after": "yesterday"}, "signed_up_after"),
    ({"signed_up_after": "2026-05-01", "signed_up_before": "2026-04-01"}, "signed_up_before"),
    ({"product": "no-such-plan"}, "product"),
])
def test_a_bad_segment_names_what_is_wrong(segment, field):
    """Each bad rule is refused with its name."""
    with pytest.raises(SegmentInvalid) as exc:
        clean_segment(segment)
    assert exc.value.field == field


@pytest.mark.parametrize(("values", "field"), [
    ({"list_key": "transactional"}, "list_key"),
    ({"list_key": "nope"}, "list_key"),
    ({"subject_line": "  "}, "subject_line"),
    ({"subject_line": "two\nlines"}, "subject_line"),
    ({"body": ""}, "body"),
    ({"segment": {"country": "1"}}, "country"),
])
def test_a_bad_campaign_is_refused_and_nothing_is_created(values, field):
    """A campaign to a non-promotional list, without subject or body, or with a bad segment
    is refused naming the field; no campaign exists afterwards."""
    data = {"list_key": "promotions", "subject_line": "Offer", "body": "Hello", "segment": {},
            **values}
    with pytest.raises(services.CampaignRefused) as exc:
        services.create_campaign(**data, actor="staff:1")
    assert exc.value.field == field
    assert not Campaign.objects.exists()


def test_a_scheduled_campaign_starts_when_its_time_comes():
    """Scheduled for later, the periodic task leaves it; once the time has passed, the task
    queues and feeds it."""
    from hostpact.campaigns.tasks import run_campaigns

    subscribed()
    campaign = draft()
    with clock.freeze(DAY):
        services.schedule_campaign(campaign.pk, DAY + datetime.timedelta(hours=1),
                                   actor="staff:1")
        with pytest.raises(services.CampaignRefused):
            services.schedule_campaign(campaign.pk, DAY - datetime.timedelta(hours=1),
                                       actor="staff:1")
        assert run_campaigns.call() == 0
    with clock.freeze(DAY + datetime.timedelta(hours=2)):
        assert run_campaigns.call() == 1
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENT
