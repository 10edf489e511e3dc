"""A campaign reaches only those who may receive its list, each at most once, with
measurement only for those who allowed it (C11), and every message it sends carries the
one-click unsubscribe headers under a DKIM signature."""

import re

import dkim
import pytest

from hostpact.campaigns import sending, services
from hostpact.campaigns.models import Campaign, Recipient
from hostpact.campaigns.tests.helpers import draft, subscribed
from hostpact.core import clock
from hostpact.core import dkim as core_dkim
from hostpact.core.mail import deliver_queued
from hostpact.core.models import OutboxMessage
from hostpact.marketing import services as marketing
from hostpact.privacy.disclosures.models import Disclosure
from hostpact.privacy.disclosures.models import Recipient as Party
from hostpact.privacy.policy import services as policy
from hostpact.privacy.policy.tests.helpers import T0, publish_material
from hostpact.testing.factories import make_staff

pytestmark = pytest.mark.django_db
PROMO = "marketing.communications.email.promotions"


def _campaign_mail():
    return OutboxMessage.objects.filter(category="promotions")


def _queued_to():
    return sorted(m.to_addr for m in _campaign_mail())


@pytest.mark.commitment("C11")
def test_a_campaign_never_reaches_the_unsubscribed_the_opted_out_or_the_suppressed():
    """Of five subscribers, one left the list, one opted out of promotions under the policy
    versions and one has a suppressed address: the count, the recipients and the messages
    hold only the two who may receive it."""
    with clock.freeze(T0):
        version = publish_material(uses=[PROMO])
    with clock.freeze(version.effective_at):
        keep = [subscribed(), subscribed()]
        left, opted, dead = subscribed(), subscribed(), subscribed()
        marketing.set_subscription(left.subject_id, "promotions", False, method="panel",
                                   actor="system:test")
        policy.set_use(opted.subject_id, PROMO, on=False, actor="system:test")
        marketing.suppress_address(dead.email, "hard_bounce", "5.1.1")
        campaign = draft()
        assert services.count_segment("promotions", {}) == 2
        assert services.queue_campaign(campaign.pk, actor="staff:1") == 2
        assert sending.feed(campaign.pk) == 2
    assert _queued_to() == sorted(u.email for u in keep)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT and campaign.queued_count == 2


@pytest.mark.commitment("C11")
def test_a_subscriber_who_leaves_after_queueing_is_skipped_when_fed():
    """Leaving the list between queueing and feeding: the row is skipped with its reason
    and no message is queued for them."""
    stay, leave = subscribed(), subscribed()
    campaign = draft()
    services.queue_campaign(campaign.pk, actor="staff:1")
    marketing.set_subscription(leave.subject_id, "promotions", False, method="one-click",
                               actor="system:test")
    assert sending.feed(campaign.pk) == 1
    assert _queued_to() == [stay.email]
    row = Recipient.objects.get(subject_id=leave.subject_id)
    assert row.status == Recipient.Status.SKIPPED and row.skip_reason == sending.LEFT_LIST


@pytest.mark.commitment("C11")
def test_pixel_and_tracked_links_only_for_recipients_who_allowed_measurement():
    """The measured recipient's HTML has the open pixel and links through /m/c/; the other's
    has neither, only the campaign's own links; both have the reason and an unsubscribe
    link."""
    measured, plain = subscribed(measured=True), subscribed()
    campaign = draft()
    services.queue_campaign(campaign.pk, actor="staff:1")
    sending.feed(campaign.pk)
    by_to = {m.to_addr: m for m in _campaign_mail()}
    tracked, untracked = by_to[measured.email].html, by_to[plain.email].html
    assert re.search(r'<img src="[^"]*/m/o/[^"]+\.gif"', tracked)
    assert "/m/c/" in tracked and 'href="https://hostpact.test/plans/"' not in tracked
    assert "/m/o/" not in untracked and "/m/c/" not in untracked
    assert 'href="https://hostpact.test/plans/"' in untracked
    for message in (by_to[measured.email], by_to[plain.email]):
        assert "You receive this because you are subscribed to Promotions" in message.body
        assert "/u/" in message.body and "/u/" in message.html
        assert "/m/" not in message.body  # the text part is never measured
    assert Recipient.objects.get(subject_id=measured.subject_id).tracked
    assert not Recipient.objects.get(subject_id=plain.subject_id).tracked


@pytest.mark.commitment("C11")
def test_feeding_twice_queues_each_message_once():
    """Feeding in small steps and then again after the end queues one message per
    recipient; the campaign ends sent."""
    people = [subscribed() for _ in range(5)]
    campaign = draft()
    services.queue_campaign(campaign.pk, actor="staff:1")
    assert sending.feed(campaign.pk, limit=2) == 2
    assert sending.feed(campaign.pk, limit=2) == 2
    assert sending.feed(campaign.pk) == 1
    assert sending.feed(campaign.pk) == 0
    assert _queued_to() == sorted(u.email for u in people)
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENT


def test_the_rate_setting_bounds_one_feed(settings):
    """One feed queues at most ``CAMPAIGN_RATE_PER_MINUTE`` messages."""
    settings.CAMPAIGN_RATE_PER_MINUTE = 3
    for _ in range(4):
        subscribed()
    campaign = draft()
    services.queue_campaign(campaign.pk, actor="staff:1")
    assert sending.feed(campaign.pk) == 3
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENDING


@pytest.mark.commitment("C11")
def test_every_caught_promotional_message_has_signed_one_click_headers(mail_catcher):
    """Delivered to the catcher, each message carries List-Unsubscribe (https and mailto),
    List-Unsubscribe-Post, the reason, and a DKIM signature that dkimpy verifies and that
    covers both unsubscribe headers."""
    subscribed(measured=True), subscribed()
    campaign = draft()
    services.queue_campaign(campaign.pk, actor="staff:1")
    sending.feed(campaign.pk)
    deliver_queued()
    caught = [m for m in mail_catcher.messages()
              if m.parse()["List-Id"] and "promotions" in m.parse()["List-Id"]]
    assert len(caught) == 2
    for stored in caught:
        raw = stored.path.read_bytes()
        message = stored.parse()
        unsubscribe = message["List-Unsubscribe"]
        assert re.search(r"<https?://[^>]+/u/[^>]+>", unsubscribe)
        assert "<mailto:unsubscribe+" in unsubscribe
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert dkim.verify(raw, dnsfunc=core_dkim.own_record)
        signature = re.sub(r"\s+", "", str(message["DKIM-Signature"]))
        names = set(re.search(r"h=([^;]+)", signature).group(1).lower().split(":"))
        assert {"list-unsubscribe", "list-unsubscribe-post"} <= names


def test_a_cancelled_campaign_queues_nothing_more():
    """Cancelling a sending campaign skips its pending recipients; feeding queues nothing."""
    subscribed(), subscribed()
    campaign = draft()
    services.queue_campaign(campaign.pk, actor="staff:1")
    services.cancel_campaign(campaign.pk, actor="staff:1")
    assert sending.feed(campaign.pk) == 0
    assert not _campaign_mail().exists()
    assert set(Recipient.objects.values_list("skip_reason", flat=True)) == {"campaign cancelled"}


def test_a_test_message_goes_to_the_staff_member_only_and_is_not_counted():
    """A test goes to the staff member's own address, marked as a test; no recipient row is
    made and the campaign stays a draft."""
    staff = make_staff()
    subscribed()
    campaign = draft()
    message = services.send_test(campaign.pk, staff, actor="staff:1")
    assert message.to_addr == staff.email and message.subject_line.startswith("[Test] ")
    assert message.headers["X-Hostpact-Test"] == "yes"
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT and campaign.tests_sent == 1
    assert not Recipient.objects.exists()


@pytest.mark.commitment("C11")
def test_a_partner_promotion_is_sent_by_us_and_discloses_nothing_to_the_partner(mail_catcher):
    """Partners' promotions leave only through our own outbox: the only disclosure the
    campaign records is the batch to our email provider, none to a co-marketing partner."""
    subscribed(lists=("partner-promotions",)), subscribed(lists=("partner-promotions",))
    before = set(Disclosure.objects.values_list("pk", flat=True))
    campaign = draft(list_key="partner-promotions")
    services.queue_campaign(campaign.pk, actor="staff:1")
    sending.feed(campaign.pk)
    deliver_queued()
    assert OutboxMessage.objects.filter(category="partner-promotions",
                                        status=OutboxMessage.Status.SENT).count() == 2
    new = Disclosure.objects.exclude(pk__in=before).select_related("recipient")
    assert new.exists()
    assert {d.recipient.kind for d in new} == {Party.Kind.SERVICE_PROVIDER}
    assert len([m for m in mail_catcher.messages() if "partner" in (m.parse()["List-Id"] or "")
                .lower()]) == 2
