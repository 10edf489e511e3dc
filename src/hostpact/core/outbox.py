"""Delivery of the outbox: claim, filter, build, sign and send queued messages, at most once.

The rule is at most once: a message is claimed (``sending``) before it is sent and marked
``sent`` after. Claims and confirmations go a chunk at a time, one UPDATE each, since an UPDATE
per message cost more than the SMTP conversation; a worker killed mid-chunk leaves that chunk
``sending``, which becomes ``unconfirmed`` after ``CLAIM_TIMEOUT`` and is never resent.
"""

import logging
import smtplib
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.db import connection as db
from django.db.models import F

from hostpact.core import clock, dkim, mail, mime
from hostpact.core.models import OutboxMessage
from hostpact.core.smtp import SMTPURLBackend

log = logging.getLogger(__name__)
CLAIM_TIMEOUT = timedelta(minutes=5)
MAX_ATTEMPTS = 5
CLAIM_CHUNK = 20  # at most this many messages are in doubt when a worker dies
SWITCH_INTERVAL = 0.0005
Status = OutboxMessage.Status


def _mark_unconfirmed() -> None:
    """Messages a dead worker left mid-conversation: not resent, so nobody gets one twice."""
    OutboxMessage.objects.filter(
        status=Status.SENDING, claimed_at__lt=clock.now() - CLAIM_TIMEOUT
    ).update(status=Status.UNCONFIRMED)


def _claim(ids: list[int]) -> set[int]:
    """Take the still-queued ones of ``ids`` for sending in one statement; return those taken
    (another worker may have taken some first)."""
    table = db.ops.quote_name(OutboxMessage._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    field = OutboxMessage._meta.get_field("claimed_at")
    claimed_at = field.get_db_prep_value(clock.now(), db)
    with db.cursor() as cursor:
        # RETURNING (SQLite ≥ 3.35, PostgreSQL) names exactly the rows this worker took.
        cursor.execute(f"UPDATE {table} SET status = %s, claimed_at = %s "  # noqa: S608
                       f"WHERE status = %s AND id IN ({marks}) RETURNING id",
                       [Status.SENDING, claimed_at, Status.QUEUED, *ids])
        return {row[0] for row in cursor.fetchall()}


def _release(ids) -> None:
    """Put claimed messages that were never handed to the server back in the queue."""
    if ids:
        OutboxMessage.objects.filter(pk__in=list(ids), status=Status.SENDING).update(
            status=Status.QUEUED, claimed_at=None)


def build_message(message: OutboxMessage) -> bytes:
    """Return the message's bytes as sent (CRLF line ends), before the DKIM signature."""
    headers = {"From": message.from_addr or settings.DEFAULT_FROM_EMAIL, "To": message.to_addr,
               "Subject": message.subject_line or "", "Message-ID": message.message_id,
               "X-Hostpact-Category": message.category}
    for name, value in (message.headers or {}).items():
        headers[next((k for k in headers if k.lower() == name.lower()), name)] = value
    return mime.build(headers, message.body or "", message.html)


def _prune(batch: list[OutboxMessage]) -> list[OutboxMessage]:
    """Drop erased recipients' rows and skip what the send filters stop; return the rest."""
    erased = [m.pk for m in batch if m.to_addr is None]
    if erased:
        OutboxMessage.objects.filter(pk__in=erased).delete()
    batch = [m for m in batch if m.to_addr is not None]
    skipped: dict[int, str] = {}
    for send_filter in mail._send_filters:
        if batch:
            skipped.update(send_filter([m for m in batch if m.pk not in skipped]) or {})
    by_reason: dict[str, list[int]] = {}
    for pk, reason in skipped.items():
        by_reason.setdefault(str(reason)[:64], []).append(pk)
    for reason, pks in by_reason.items():
        OutboxMessage.objects.filter(pk__in=pks, status=Status.QUEUED).update(
            status=Status.SKIPPED, skip_reason=reason)
    return [m for m in batch if m.pk not in skipped]


def _refused(message: OutboxMessage, exc: Exception) -> None:
    attempts = message.attempts + 1
    status = Status.FAILED if attempts >= MAX_ATTEMPTS else Status.QUEUED
    OutboxMessage.objects.filter(pk=message.pk).update(status=status, attempts=attempts)
    log.warning("mail %s not sent (%s)", message.pk, type(exc).__name__)


def _confirm(sent: list[OutboxMessage]) -> None:
    if not sent:
        return
    OutboxMessage.objects.filter(pk__in=[m.pk for m in sent]).update(
        status=Status.SENT, sent_at=clock.now(), attempts=F("attempts") + 1)


def _prepare(message: OutboxMessage) -> bytes:
    """Return the signed bytes of ``message`` (runs in the preparing thread)."""
    return dkim.sign(build_message(message))


def _send_chunk(chunk: list[OutboxMessage], prepared: dict[int, Future],
                connection: SMTPURLBackend) -> int:
    """Claim and send one chunk; return how many went. Raises OSError when the server is
    gone (what was not handed over goes back to the queue)."""
    claimed = _claim([m.pk for m in chunk])
    mine = [m for m in chunk if m.pk in claimed]
    sent: list[OutboxMessage] = []
    try:
        for n, message in enumerate(mine):
            try:
                connection.send_raw(mail.verp_address(message.pk), [message.to_addr],
                                    prepared[message.pk].result(), signed=True)
            except smtplib.SMTPServerDisconnected as exc:
                _refused(message, exc)
                _release(m.pk for m in mine[n + 1:])
                raise OSError("the SMTP server closed the connection") from exc
            except smtplib.SMTPException as exc:  # refused: it was not delivered
                _refused(message, exc)
            except OSError as exc:
                _refused(message, exc)
                _release(m.pk for m in mine[n + 1:])
                raise
            except Exception as exc:  # noqa: BLE001 - it could not be built or signed
                _refused(message, exc)
            else:
                sent.append(message)
    finally:
        _confirm(sent)
    return len(sent)


def _next_batch(limit: int) -> list[OutboxMessage]:
    """The next queued messages that may go, skipping past batches that were all pruned."""
    while True:
        batch = list(OutboxMessage.objects.filter(status=Status.QUEUED).order_by("id")[:limit])
        if not batch:
            return []
        batch = _prune(batch)
        if batch:
            return batch


def deliver_queued(limit: int = 500) -> int:
    """Send up to ``limit`` queued messages over one SMTP connection; return how many went.

    Before anything is sent the send filters run (what they stop is ``skipped``) and the batch
    gate records the disclosure to the email provider; a refusal sends nothing.
    """
    _mark_unconfirmed()
    batch = _next_batch(limit)
    if not batch:
        return 0
    # Addresses leave for the email provider only through the disclosures gate (DESIGN rule 3).
    ids = [m.pk for m in batch]
    if not mail._batch_gates or not all(gate(ids) for gate in mail._batch_gates):
        return 0  # the gate logged why
    for message in batch:
        if not message.message_id:  # queued before ids were made at queue time
            message.message_id = make_msgid(domain=settings.MAIL_DOMAIN)
            OutboxMessage.objects.filter(pk=message.pk).update(message_id=message.message_id)
    sent = 0
    connection = SMTPURLBackend()
    # Building and signing run a message or more ahead in a thread of their own, while this
    # one waits for the server's replies: the socket waits release the GIL.
    preparer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-prepare")
    # The preparing thread holds the GIL for up to the switch interval (5 ms) when a reply
    # arrives; a shorter one while sending keeps the conversation from waiting on it.
    switch = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        prepared = {m.pk: preparer.submit(_prepare, m) for m in batch}
        connection.open()
        for start in range(0, len(batch), CLAIM_CHUNK):
            sent += _send_chunk(batch[start:start + CLAIM_CHUNK], prepared, connection)
    except OSError as exc:
        log.warning("SMTP server unreachable (%s); the rest stays queued", type(exc).__name__)
    finally:
        preparer.shutdown(wait=True, cancel_futures=True)
        sys.setswitchinterval(switch)
        connection.close()
    return sent
