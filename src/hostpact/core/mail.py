"""Outgoing mail: the outbox, its delivery, and the SMTP backend configured by URL.

``queue_mail`` stores the message encrypted and enqueues delivery when the transaction commits;
``deliver_queued`` (the worker's task) claims, sends and marks each message.
"""

import logging
from datetime import timedelta
from email.utils import make_msgid
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend
from django.db import transaction

from hostpact.core import clock
from hostpact.core.models import OutboxMessage

log = logging.getLogger(__name__)
CLAIM_TIMEOUT = timedelta(minutes=5)
MAX_ATTEMPTS = 5


class SMTPURLBackend(EmailBackend):
    """Django's SMTP backend, configured from ``HOSTPACT_SMTP_URL`` (smtp:// or smtps://)."""

    def __init__(self, **kwargs):
        url = urlparse(settings.SMTP_URL)
        kwargs.setdefault("host", url.hostname or "127.0.0.1")
        kwargs.setdefault("port", url.port or 25)
        kwargs.setdefault("username", unquote(url.username or ""))
        kwargs.setdefault("password", unquote(url.password or ""))
        kwargs.setdefault("use_ssl", url.scheme == "smtps")
        kwargs.setdefault("use_tls", url.scheme == "smtp+starttls")
        kwargs.setdefault("timeout", 10)
        super().__init__(**kwargs)


def queue_mail(subject_id, to: str, subject_line: str, body: str,
               category: str = "transactional") -> OutboxMessage:
    """Put a message in the outbox; the worker sends it once the transaction commits.

    The address may serve only the purpose ``category`` stands for (C17):
    ``hostpact.privacy.purposes.check_mail`` raises ``PurposeNotAllowed`` and nothing is queued
    when the data map does not declare it or the subject opted out.
    """
    from hostpact.privacy.purposes import check_mail

    check_mail(subject_id, category)
    message = OutboxMessage.objects.create(
        subject_id=subject_id, category=category, to_addr=to, subject_line=subject_line,
        body=body, created_at=clock.now(),
    )
    # One delivery task per transaction, however many messages it queued.
    pending = transaction.get_connection().run_on_commit
    if not any(func is _enqueue_delivery for _, func, _ in pending):
        transaction.on_commit(_enqueue_delivery)
    return message


def _enqueue_delivery() -> None:
    from hostpact.core.tasks import deliver_outbox

    deliver_outbox.enqueue()


def _mark_unconfirmed() -> None:
    """Messages a dead worker left mid-conversation: not resent, so nobody gets one twice."""
    OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=clock.now() - CLAIM_TIMEOUT
    ).update(status=OutboxMessage.Status.UNCONFIRMED)


def _claim(pk: int) -> bool:
    """Take one message for sending; False if another worker took it first."""
    return bool(OutboxMessage.objects.filter(pk=pk, status=OutboxMessage.Status.QUEUED)
                .update(status=OutboxMessage.Status.SENDING, claimed_at=clock.now()))


def _send(message: OutboxMessage, connection) -> bool:
    """Send one claimed message; mark it sent, or queued again (failed after MAX_ATTEMPTS)."""
    msgid = make_msgid(domain="hostpact.test")
    email = EmailMessage(message.subject_line, message.body, to=[message.to_addr],
                         headers={"Message-ID": msgid, "X-Hostpact-Category": message.category},
                         connection=connection)
    attempts = message.attempts + 1
    try:
        email.send()
    except Exception as exc:  # noqa: BLE001 - the server refused it: it was not delivered
        status = (OutboxMessage.Status.FAILED if attempts >= MAX_ATTEMPTS
                  else OutboxMessage.Status.QUEUED)
        OutboxMessage.objects.filter(pk=message.pk).update(status=status, attempts=attempts)
        log.warning("mail %s not sent (%s)", message.pk, type(exc).__name__)
        if isinstance(exc, OSError):
            raise
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENT, sent_at=clock.now(), message_id=msgid[:128],
        attempts=attempts,
    )
    return True


def deliver_queued(limit: int = 500) -> int:
    """Send up to ``limit`` queued messages over one SMTP connection; return how many went.

    Each message is claimed on its own just before it is sent, so a worker killed mid-batch
    leaves at most one message in doubt (``unconfirmed``, never resent) and the rest queued.
    """
    _mark_unconfirmed()
    batch = list(OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED)
                 .order_by("id")[:limit])
    if not batch:
        return 0
    # Addresses leave for the email provider only through the disclosures gate (DESIGN rule 3):
    # the batch is recorded before anything is sent; a refusal sends nothing.
    from hostpact.privacy.disclosures.services import DisclosureRefused, record_mail_batch

    try:
        record_mail_batch([m.pk for m in batch])
    except DisclosureRefused as exc:
        log.warning("outbox batch of %d not sent: email provider refused (%s)", len(batch),
                    exc.code)
        return 0
    sent = 0
    connection = SMTPURLBackend()
    try:
        connection.open()
        for message in batch:
            if message.to_addr is None:  # recipient erased meanwhile
                OutboxMessage.objects.filter(pk=message.pk).delete()
            elif _claim(message.pk):
                sent += _send(message, connection)
    except OSError as exc:
        log.warning("SMTP server unreachable (%s); the rest stays queued", type(exc).__name__)
    finally:
        connection.close()
    return sent
