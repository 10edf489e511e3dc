"""The outbox: HTML alternatives, extra headers, VERP return paths, bulk queueing, send filters
and chunked claims that keep each message at most once."""

import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from hostpact.core import mail, outbox
from hostpact.core.models import OutboxMessage
from hostpact.testing import factories

pytestmark = pytest.mark.django_db


@dataclass
class Envelopes:
    """What an SMTP server saw: (MAIL FROM, RCPT TOs, bytes) per message."""

    seen: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.seen.append((envelope.mail_from, list(envelope.rcpt_tos),
                          envelope.original_content))
        return "250 OK"


@pytest.fixture
def envelopes(settings):
    """An SMTP server recording envelopes; outgoing mail points at it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Envelopes()
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    settings.SMTP_URL = f"smtp://127.0.0.1:{port}"
    try:
        yield handler
    finally:
        controller.stop()


def _clear_outbox():
    OutboxMessage.objects.all().delete()


def test_html_mail_is_multipart_alternative_with_headers_and_verp(mail_catcher, envelopes):
    """A message with html, extra headers and a From of its own goes out as
    multipart/alternative with those headers, the given Message-ID and a VERP return path."""
    user = factories.make_subscriber()
    _clear_outbox()
    queued = mail.queue_mail(
        user.subject_id, user.email, "Ünïcode news", "Plain text body\nline two", html="<p>Hi</p>",
        headers={"Message-ID": "<given.1@hostpact.test>", "Reply-To": "support@hostpact.test",
                 "List-Id": "News <news.hostpact.test>"},
        from_addr="hostpact news <news@hostpact.test>")
    assert queued.message_id == "<given.1@hostpact.test>" and "Message-ID" not in queued.headers

    assert mail.deliver_queued() == 1

    [(mail_from, rcpts, raw)] = envelopes.seen
    assert mail_from == mail.verp_address(queued.pk) and rcpts == [user.email]
    assert mail.message_for_verp(mail_from.split("@")[0]) == queued
    from email import policy
    from email.parser import BytesParser

    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    assert parsed.get_content_type() == "multipart/alternative"
    assert str(parsed["Subject"]) == "Ünïcode news"
    assert str(parsed["From"]) == "hostpact news <news@hostpact.test>"
    assert parsed["Message-ID"] == "<given.1@hostpact.test>"
    assert parsed["Reply-To"] == "support@hostpact.test" and parsed["DKIM-Signature"]
    text = parsed.get_body(("plain",)).get_content()
    assert text.replace("\r\n", "\n") == "Plain text body\nline two\n"
    assert parsed.get_body(("html",)).get_content().strip() == "<p>Hi</p>"
    row = OutboxMessage.objects.get(pk=queued.pk)
    assert row.status == OutboxMessage.Status.SENT and row.attempts == 1


def test_message_id_is_made_at_queue_time_under_the_mail_domain(settings):
    """Without a given Message-ID the outbox makes one under MAIL_DOMAIN when it queues."""
    settings.MAIL_DOMAIN = "mail.example.test"
    user = factories.make_subscriber()
    queued = mail.queue_mail(user.subject_id, user.email, "s", "b")
    assert queued.message_id.endswith("@mail.example.test>")


def test_a_header_with_a_line_break_is_refused(subscriber):
    """Header injection is refused before anything is stored."""
    before = OutboxMessage.objects.count()
    with pytest.raises(ValueError, match="line break"):
        mail.queue_mail(subscriber.subject_id, subscriber.email, "s", "b",
                        headers={"Reply-To": "a@hostpact.test\r\nBcc: x@example.test"})
    assert OutboxMessage.objects.count() == before


def test_verp_tokens_survive_lower_casing_and_forgeries_name_nothing(subscriber):
    """A VERP local part is lower-case, still resolves when an MTA upper- or lower-cases it,
    and a forged or altered token resolves to None."""
    message = OutboxMessage.objects.filter(subject_id=subscriber.subject_id).latest("pk")
    address = mail.verp_address(message.pk)
    local = address.split("@")[0]
    assert local == local.lower() and local.startswith("bounces+")
    assert all(c.isalnum() or c in "+-_" for c in local)
    assert mail.message_for_verp(local.upper()) == message
    token = local.removeprefix("bounces+")
    assert mail.message_for_verp(token) == message
    pk_text, mac = token.split("-")
    assert mail.message_for_verp(f"bounces+{pk_text}-{'a' * len(mac)}") is None
    assert mail.message_for_verp(f"bounces+aa-{mac}") is None
    for junk in ("", "bounces+", "bounces+-", "bounces+!!-??", "support"):
        assert mail.message_for_verp(junk) is None


def test_queue_many_checks_each_subject_once_encrypts_and_enqueues_once(monkeypatch):
    """Bulk queueing runs the purpose check once per distinct subject, stores every text field
    as ciphertext, and schedules one delivery task for the lot."""
    users = [factories.make_subscriber() for _ in range(3)]
    calls = []
    monkeypatch.setattr(mail, "_purpose_checks",
                        [*mail._purpose_checks, lambda sid, cat: calls.append(sid)])
    enqueued = []
    monkeypatch.setattr(mail, "_enqueue_delivery", lambda: enqueued.append(1))
    items = [{"subject_id": users[n % 3].subject_id, "to": users[n % 3].email,
              "subject_line": f"News {n}", "body": "secret body text", "html": "<b>secret</b>",
              "headers": {"List-Id": "<news.hostpact.test>"}} for n in range(9)]
    ids = mail.queue_many(items, "transactional")

    assert len(ids) == 9 and sorted(calls) == sorted(u.subject_id for u in users)
    assert [m.subject_line for m in OutboxMessage.objects.filter(pk__in=ids).order_by("pk")] == [
        f"News {n}" for n in range(9)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_addr, body, html FROM core_outboxmessage WHERE id = %s",
                       [ids[0]])
        stored = cursor.fetchone()
    assert all(value.startswith("hp1.") for value in stored)
    assert "secret" not in "".join(stored)


def test_queue_many_queues_nothing_when_one_subject_may_not_be_mailed(monkeypatch, subscriber):
    """A refused purpose check for any subject leaves the outbox as it was."""
    def refuse(subject_id, category):
        if subject_id == subscriber.subject_id:
            raise PermissionError("opted out")
    other = factories.make_subscriber()
    monkeypatch.setattr(mail, "_purpose_checks", [*mail._purpose_checks, refuse])
    before = OutboxMessage.objects.count()
    with pytest.raises(PermissionError):
        mail.queue_many([{"subject_id": s.subject_id, "to": s.email, "subject_line": "x",
                          "body": "y"} for s in (other, subscriber)], "transactional")
    assert OutboxMessage.objects.count() == before


def test_send_filter_skips_with_reason_and_the_rest_goes(monkeypatch, envelopes):
    """What a send filter names at send time is marked skipped with its reason; the rest of
    the batch is sent."""
    users = [factories.make_subscriber() for _ in range(3)]
    _clear_outbox()
    ids = mail.queue_many([{"subject_id": u.subject_id, "to": u.email, "subject_line": "News",
                            "body": "b"} for u in users], "transactional")
    seen = []

    def unsubscribed(messages):
        seen.extend(m.pk for m in messages)
        return {ids[1]: "unsubscribed"}
    monkeypatch.setattr(mail, "_send_filters", [unsubscribed])

    assert mail.deliver_queued() == 2
    assert sorted(seen) == sorted(ids)
    skipped = OutboxMessage.objects.get(pk=ids[1])
    assert skipped.status == OutboxMessage.Status.SKIPPED and skipped.skip_reason == "unsubscribed"
    assert sorted(r[0] for _, r, _ in envelopes.seen) == sorted([users[0].email, users[2].email])


def test_a_batch_wholly_skipped_does_not_stop_delivery_of_the_next(monkeypatch, envelopes):
    """When every message of a batch is filtered out, delivery goes on with the next batch."""
    users = [factories.make_subscriber() for _ in range(3)]
    _clear_outbox()
    ids = mail.queue_many([{"subject_id": u.subject_id, "to": u.email, "subject_line": "N",
                            "body": "b"} for u in users], "transactional")
    monkeypatch.setattr(mail, "_send_filters", [lambda ms: {m.pk: "suppressed" for m in ms
                                                            if m.pk != ids[2]}])
    assert mail.deliver_queued(limit=1) == 1
    assert [r for _, r, _ in envelopes.seen] == [[users[2].email]]


def test_rows_claimed_by_another_worker_are_not_sent_again(envelopes):
    """A chunk claim takes only the rows still queued: what another worker claimed between the
    read and the claim is left to it."""
    users = [factories.make_subscriber() for _ in range(4)]
    _clear_outbox()
    ids = mail.queue_many([{"subject_id": u.subject_id, "to": u.email, "subject_line": "N",
                            "body": "b"} for u in users], "transactional")
    assert outbox._claim(ids[:2]) == set(ids[:2])  # "the other worker"
    assert outbox._claim(ids) == set(ids[2:])
    OutboxMessage.objects.filter(pk__in=ids[2:]).update(status=OutboxMessage.Status.QUEUED)
    assert mail.deliver_queued() == 2
    assert OutboxMessage.objects.filter(pk__in=ids[:2], status="sending").count() == 2


def test_an_unreachable_server_leaves_claimed_messages_queued(settings, envelopes):
    """If the server goes away, nothing that was not handed over is marked sent or left in
    doubt: it stays queued for the next run."""
    users = [factories.make_subscriber() for _ in range(2)]
    _clear_outbox()
    mail.queue_many([{"subject_id": u.subject_id, "to": u.email, "subject_line": "N",
                      "body": "b"} for u in users], "transactional")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        settings.SMTP_URL = f"smtp://127.0.0.1:{s.getsockname()[1]}"  # nobody listens
    assert mail.deliver_queued() == 0
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"queued"}
