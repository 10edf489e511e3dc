"""Bounces and complaints delivered to the inbound server end to end: a hard bounce suppresses
at once, soft ones after 3 in 30 days, a complaint takes the subscriber off every marketing
list, and what the send filter then lets through."""

import datetime
import logging
from datetime import timedelta

import pytest

from hostpact.core import clock, inbound
from hostpact.core.mail import deliver_queued, queue_mail, verp_address
from hostpact.core.models import AuditEntry, OutboxMessage
from hostpact.marketing import lists
from hostpact.marketing.models import Bounce, SubscriptionChange, Suppression
from hostpact.marketing.services import is_subscribed, suppressed
from hostpact.marketing.tests.test_feedback_parsing import postfix_dsn, provider_arf
from hostpact.testing.factories import make_subscriber

T0 = datetime.datetime(2026, 12, 2, 5, 0, tzinfo=datetime.UTC)
ACCEPTED = "250"


@pytest.fixture
def user(db):
    with clock.freeze(T0):
        return make_subscriber(country="IN")


def sent(user, category="newsletters") -> OutboxMessage:
    """Queue a message to ``user`` as the platform does; return its outbox row."""
    return queue_mail(user.subject_id, user.email, "Our December newsletter",
                      "Read it online.", category)


def deliver(rcpt: str, raw: bytes) -> str:
    """Hand ``raw`` to the inbound server for ``rcpt`` with a null sender, as a bounce comes."""
    [reply] = inbound.deliver("", [rcpt], raw)
    return reply


def bounce(user, *, status="5.1.1", action="failed", at=T0) -> str:
    """Send ``user`` a message and return the reply to a Postfix DSN about it."""
    with clock.freeze(at):
        message = sent(user)
        verp = verp_address(message.pk)
        return deliver(verp, postfix_dsn(user.email, verp, action=action, status=status,
                                         message_id=message.message_id))


def marketing_states(user) -> dict[str, bool]:
    return {m.key: is_subscribed(user.subject_id, m.key) for m in lists.marketing_lists()}


@pytest.mark.commitment("C11")
def test_a_hard_bounce_suppresses_the_address_at_once(user):
    """One DSN saying 'failed' with 5.1.1 records a hard bounce and suppresses the address."""
    assert bounce(user).startswith(ACCEPTED)
    [row] = Bounce.objects.all()
    assert (row.kind, row.status) == ("hard", "5.1.1") and row.message is not None
    assert suppressed(user.email).reason == Suppression.Reason.HARD_BOUNCE


@pytest.mark.commitment("C11")
def test_three_soft_bounces_within_30_days_suppress(user):
    """Soft bounces on days 0 and 14 leave the address alone; the third, on day 29, suppresses."""
    for day in (0, 14):
        assert bounce(user, status="4.2.2", at=T0 + timedelta(days=day)).startswith(ACCEPTED)
    assert suppressed(user.email) is None
    bounce(user, status="4.2.2", at=T0 + timedelta(days=29))
    assert Bounce.objects.filter(kind="soft").count() == 3
    assert suppressed(user.email).reason == Suppression.Reason.SOFT_BOUNCES


def test_soft_bounces_spread_over_more_than_30_days_do_not_suppress(user):
    """Three soft bounces 16 days apart never make three within 30 days."""
    for day in (0, 16, 32):
        bounce(user, status="4.4.7", at=T0 + timedelta(days=day))
    assert Bounce.objects.filter(kind="soft").count() == 3
    assert suppressed(user.email) is None


def test_the_same_report_delivered_again_counts_once(user):
    """A soft DSN redelivered three times is one bounce and suppresses nothing."""
    with clock.freeze(T0):
        message = sent(user)
        verp = verp_address(message.pk)
        raw = postfix_dsn(user.email, verp, status="4.2.2")
        replies = [deliver(verp, raw) for _ in range(3)]
    assert all(r.startswith(ACCEPTED) for r in replies)
    assert Bounce.objects.count() == 1 and suppressed(user.email) is None


def test_delayed_and_delivered_reports_record_nothing(user):
    """'delayed' and 'delivered' DSNs are accepted and change nothing."""
    assert bounce(user, action="delayed", status="4.4.1").startswith(ACCEPTED)
    assert bounce(user, action="delivered", status="2.0.0").startswith(ACCEPTED)
    assert not Bounce.objects.exists() and not Suppression.objects.exists()


def test_an_auto_reply_to_the_bounce_address_is_accepted_without_effect(user):
    """An out-of-office answer to the return path is taken and dropped."""
    with clock.freeze(T0):
        verp = verp_address(sent(user).pk)
        reply = deliver(verp, b"From: someone@example.test\r\nSubject: Out of office\r\n"
                              b"Auto-Submitted: auto-replied\r\n\r\nBack on Monday.\r\n")
    assert reply.startswith(ACCEPTED)
    assert not Bounce.objects.exists() and not Suppression.objects.exists()


@pytest.mark.parametrize("garbage", [
    b"\x00\xff\xfe not mail at all \x80\x81",
    b"Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n\r\n--x\r\n"
    b"Content-Type: message/delivery-status\r\n\r\nAction: \xff\xfe\r\nStatus: 9.9.9x\r\n",
    b"Content-Type: multipart/report; boundary=\r\n\r\n--\r\n--\r\n",
])
def test_garbage_mime_is_accepted_without_effect(user, garbage):
    """Malformed MIME at a valid return path is accepted and records nothing."""
    with clock.freeze(T0):
        verp = verp_address(sent(user).pk)
        assert deliver(verp, garbage).startswith(ACCEPTED)
    assert not Bounce.objects.exists() and not Suppression.objects.exists()


def test_a_forged_return_path_is_rejected_and_nothing_stored(user):
    """A made-up or tampered VERP token gets 550 and records nothing."""
    with clock.freeze(T0):
        verp = verp_address(sent(user).pk)
    local, domain = verp.split("@")
    tampered = f"{local[:-1]}{'a' if local[-1] != 'a' else 'b'}@{domain}"
    for rcpt in ("bounces+aaaa-bbbbbbbbbbbb@hostpact.test", tampered):
        reply = deliver(rcpt, postfix_dsn(user.email, rcpt))
        assert reply.startswith("550 ")
    assert not Bounce.objects.exists() and not Suppression.objects.exists()


def test_the_address_comes_from_our_outbox_not_from_the_report(user):
    """A DSN naming another recipient suppresses the address our message was sent to."""
    with clock.freeze(T0):
        verp = verp_address(sent(user).pk)
        deliver(verp, postfix_dsn("victim@example.test", verp))
    assert suppressed("victim@example.test") is None
    assert suppressed(user.email).reason == Suppression.Reason.HARD_BOUNCE


def test_a_message_whose_address_was_erased_records_nothing(user):
    """When the outbox row's address reads as erased, no bounce and no suppression result."""
    with clock.freeze(T0):
        message = sent(user)
        OutboxMessage.objects.filter(pk=message.pk).update(to_addr=None)
        verp = verp_address(message.pk)
        assert deliver(verp, postfix_dsn(user.email, verp)).startswith(ACCEPTED)
    assert not Bounce.objects.exists() and not Suppression.objects.exists()


@pytest.mark.commitment("C11")
def test_a_complaint_unsubscribes_from_every_marketing_list_at_once(user):
    """An ARF report at the return path takes the subscriber off all marketing lists
    (method complaint) and suppresses the address for marketing."""
    assert all(marketing_states(user).values())
    with clock.freeze(T0):
        message = sent(user, "promotions")
        verp = verp_address(message.pk)
        reply = deliver(verp, provider_arf(user.email, verp, message_id=message.message_id))
    assert reply.startswith(ACCEPTED)
    assert not any(marketing_states(user).values())
    methods = set(SubscriptionChange.objects.filter(subject_id=user.subject_id, subscribed=False)
                  .values_list("method", flat=True))
    assert methods == {"complaint"}
    assert suppressed(user.email).reason == Suppression.Reason.COMPLAINT


@pytest.mark.commitment("C11")
def test_a_complaint_at_the_feedback_address_is_found_by_message_id(user):
    """A provider report to feedback@ with the return path redacted is matched by the
    original Message-ID, and the subscriber leaves every marketing list."""
    with clock.freeze(T0):
        message = sent(user)
        raw = provider_arf(user.email, None, message_id=message.message_id, headers_only=True)
        assert deliver("feedback@hostpact.test", raw).startswith(ACCEPTED)
    assert not any(marketing_states(user).values())
    assert suppressed(user.email).reason == Suppression.Reason.COMPLAINT


def test_a_report_naming_none_of_our_messages_changes_nothing(user):
    """A report with only a recipient address (unknown Message-ID, no return path) is
    accepted and unsubscribes nobody: an address alone proves nothing."""
    with clock.freeze(T0):
        sent(user)
        raw = provider_arf(user.email, None, message_id="<forged-1@hostpact.test>")
        assert deliver("feedback@hostpact.test", raw).startswith(ACCEPTED)
        assert deliver("feedback@hostpact.test", b"Subject: hello\r\n\r\nhi\r\n").startswith(
            ACCEPTED)
    assert all(marketing_states(user).values())
    assert not Suppression.objects.exists()


def test_a_not_spam_report_changes_nothing(user):
    """A 'not-spam' feedback report is no complaint."""
    with clock.freeze(T0):
        verp = verp_address(sent(user).pk)
        deliver(verp, provider_arf(user.email, verp, feedback_type="not-spam"))
    assert all(marketing_states(user).values()) and not Suppression.objects.exists()


def test_audit_and_logs_name_ids_never_the_address(user, caplog):
    """The audit events and log lines of a bounce and a complaint hold no address."""
    caplog.set_level(logging.INFO)
    before = AuditEntry.objects.count()
    bounce(user)
    with clock.freeze(T0):
        verp = verp_address(sent(user).pk)
        deliver(verp, provider_arf(user.email, verp))
    entries = AuditEntry.objects.order_by("seq")[before:]
    actions = {e.action for e in entries}
    assert {"marketing.bounce", "marketing.suppress", "marketing.complaint"} <= actions
    local = user.email.split("@")[0]
    assert not any(local in e.object_ref or "@" in e.object_ref for e in entries)
    assert caplog.records and not any(local in r.getMessage() for r in caplog.records)


def test_the_bounce_and_feedback_mailboxes_are_registered():
    """The inbound server knows the VERP return paths and feedback@ (RCPT accepted)."""
    assert inbound.check_recipient("feedback@hostpact.test") is None
    assert inbound.check_recipient("bounces+abc-def@hostpact.test") is None
    assert inbound.mailbox_for("bounces+abc@hostpact.test").name == "bounces"


@pytest.mark.commitment("C11")
def test_after_a_complaint_marketing_is_skipped_but_account_notices_go(user, mail_catcher):
    """The send filter skips a complained address's marketing mail and still sends it
    account notices."""
    with clock.freeze(T0):
        verp = verp_address(sent(user, "promotions").pk)
        deliver(verp, provider_arf(user.email, verp))
        OutboxMessage.objects.all().delete()
        promotion, notice = sent(user, "newsletters"), sent(user, "transactional")
        deliver_queued()
    promotion.refresh_from_db()
    notice.refresh_from_db()
    assert promotion.status == OutboxMessage.Status.SKIPPED
    assert notice.status == OutboxMessage.Status.SENT
    assert [m.headers()["to"] for m in mail_catcher.messages()] == [user.email]


@pytest.mark.commitment("C11")
def test_after_a_hard_bounce_no_mail_at_all_goes(user, mail_catcher):
    """A hard-bounced address gets neither marketing mail nor account notices."""
    bounce(user)
    with clock.freeze(T0):
        OutboxMessage.objects.all().delete()
        messages = [sent(user, "newsletters"), sent(user, "transactional")]
        deliver_queued()
    for message in messages:
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.SKIPPED
    assert mail_catcher.messages() == []
