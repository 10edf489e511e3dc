"""Who may receive mail now, decided at send time: subscriptions, suppressions and the policy
engine's opt-outs (C31, C36; policy 5.2)."""

import datetime

import pytest

from hostpact.core import clock
from hostpact.core.mail import deliver_queued, queue_mail
from hostpact.core.models import OutboxMessage
from hostpact.marketing.models import Bounce, Suppression
from hostpact.marketing.services import (
    recipients,
    record_bounce,
    remove_suppression,
    set_subscription,
    suppress_address,
    suppressed,
    unsubscribe_all_marketing,
    unsubscribe_headers,
)
from hostpact.privacy.policy import services as policy
from hostpact.testing.factories import make_subscriber

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
Status = OutboxMessage.Status


def promo(user, list_key="promotions"):
    return queue_mail(user.subject_id, user.email, "Offer", "Body", category=list_key,
                      headers=unsubscribe_headers(user.subject_id, list_key))


@pytest.mark.django_db(transaction=True)
@pytest.mark.commitment("C31")
def test_a_campaign_already_sending_skips_an_address_unsubscribed_after_queueing(mail_catcher):
    """A message queued before its recipient left the list is skipped when the batch leaves;
    the others go, and so do account notices to the same person."""
    leaving, staying = make_subscriber(), make_subscriber()
    first, second = promo(leaving), promo(staying)
    notice = queue_mail(leaving.subject_id, leaving.email, "Invoice", "Body")
    set_subscription(leaving.subject_id, "promotions", False, method="one-click",
                     actor="recipient")
    deliver_queued()
    statuses = dict(OutboxMessage.objects.filter(pk__in=[first.pk, second.pk, notice.pk])
                    .values_list("pk", "status"))
    assert statuses[first.pk] == Status.SKIPPED and statuses[second.pk] == Status.SENT
    assert statuses[notice.pk] == Status.SENT
    assert OutboxMessage.objects.get(pk=first.pk).skip_reason == "unsubscribed from the list"


@pytest.mark.django_db(transaction=True)
def test_a_suppressed_address_gets_notices_unless_it_hard_bounces(mail_catcher):
    """A complaint stops marketing mail but not account notices; a hard bounce stops both."""
    complained, bounced = make_subscriber(), make_subscriber()
    suppress_address(complained.email, Suppression.Reason.COMPLAINT, "abuse", "system")
    record_bounce(bounced.email, kind="hard", status="5.1.1")
    messages = [promo(complained), queue_mail(complained.subject_id, complained.email, "N", "B"),
                promo(bounced), queue_mail(bounced.subject_id, bounced.email, "N", "B")]
    deliver_queued()
    got = [OutboxMessage.objects.get(pk=m.pk).status for m in messages]
    assert got == [Status.SKIPPED, Status.SENT, Status.SKIPPED, Status.SKIPPED]


def test_three_soft_bounces_in_thirty_days_suppress_two_do_not(db):
    """Soft bounces count within 30 days; the third suppresses; a hard one at once."""
    user = make_subscriber()
    with clock.freeze(T0):
        record_bounce(user.email, kind="soft", status="4.2.2")
    with clock.freeze(T0 + datetime.timedelta(days=31)):
        assert record_bounce(user.email, kind="soft", status="4.2.2") is None
        assert record_bounce(user.email, kind="soft", status="4.2.2") is None
        row = record_bounce(user.email, kind="soft", status="4.2.2")
    assert row.reason == Suppression.Reason.SOFT_BOUNCES
    assert record_bounce(user.email, kind="hard", status="5.1.1").reason == "hard_bounce"
    assert suppressed(user.email.upper()).reason == "hard_bounce"
    assert Suppression.objects.count() == 1 and Bounce.objects.count() == 5


def test_a_suppression_is_kept_by_blind_index_and_staff_can_lift_it(db):
    """No address is stored; a milder reason never replaces a hard bounce; lifting it removes
    the bounces too."""
    user = make_subscriber()
    row = suppress_address(user.email, "hard_bounce", "5.1.1", "system")
    assert suppress_address(user.email, "complaint", "abuse", "system").reason == "hard_bounce"
    assert user.email not in row.address_index and len(row.address_index) == 40
    with pytest.raises(ValueError):
        suppress_address(user.email, "bogus", "", "system")
    remove_suppression(row, "staff:1")
    assert suppressed(user.email) is None and not Bounce.objects.exists()


@pytest.mark.commitment("C31")
def test_recipients_are_only_those_on_the_list_and_not_suppressed(db):
    """``recipients`` leaves out who left the list, who declined at sign-up and suppressed
    addresses; account notices reach everyone not hard-bouncing."""
    on, left, declined, supp = (make_subscriber() for _ in range(4))
    other = make_subscriber(country="FR")
    set_subscription(left.subject_id, "newsletters", False, method="panel", actor="t")
    unsubscribe_all_marketing(declined.subject_id, "complaint", "system")
    suppress_address(supp.email, "complaint", "", "system")
    ids = [u.subject_id for u in (on, left, declined, supp, other)]
    assert recipients("newsletters", ids) == {on.subject_id}
    assert recipients("promotions", ids) == {on.subject_id, left.subject_id}
    assert recipients("transactional", ids) == set(ids)


@pytest.mark.commitment("C36")
def test_an_opted_out_use_is_refused_for_the_list_and_at_send_time(db):
    """A subscriber who opted out of promotions under a policy version receives none, though
    still on the list: ``recipients`` leaves them out and the send filter skips a queued one."""
    from hostpact.marketing.sending import skip_unwanted

    user, other = make_subscriber(), make_subscriber()
    with clock.freeze(T0):
        version = policy.publish_version(
            title="Privacy Policy", text="# Policy\n\nWe promote.", material=True,
            effective_at=T0 + datetime.timedelta(days=31), actor="staff:1",
            new_uses=["marketing.communications.email.promotions"])
    with clock.freeze(T0 + datetime.timedelta(days=40)):
        message = promo(user, "partner-promotions")
        policy.opt_out(user.subject_id, version, actor="subscriber")
        ids = [user.subject_id, other.subject_id]
        assert recipients("partner-promotions", ids) == {other.subject_id}
        assert recipients("newsletters", ids) == set(ids)
        assert skip_unwanted([OutboxMessage.objects.get(pk=message.pk)]) == {
            message.pk: "opted out of this use under the privacy policy"}


@pytest.mark.commitment("C36")
def test_a_new_use_waits_for_its_effective_date(db):
    """Before the version adding promotions takes effect, nobody is a recipient of them."""
    user = make_subscriber()
    with clock.freeze(T0):
        policy.publish_version(
            title="Privacy Policy", text="# Policy\n\nWe promote.", material=True,
            effective_at=T0 + datetime.timedelta(days=31), actor="staff:1",
            new_uses=["marketing.communications.email.promotions"])
        assert recipients("promotions", [user.subject_id]) == set()
