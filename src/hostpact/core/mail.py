"""Outgoing mail: the outbox, its delivery, and the SMTP backend configured by URL.

``queue_mail`` stores the message encrypted and enqueues delivery when the transaction commits;
``deliver_queued`` (the worker's task) claims, sends and marks each message.

What may be mailed is the privacy layer's decision, not core's: it registers a purpose check
(``register_purpose_check``, run before a message is queued) and a batch gate
(``register_batch_gate``, run before a batch leaves for the email provider). Both fail closed:
with none registered, nothing is queued and nothing is sent.
"""

import logging
from collections.abc import Callable
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


class MailNotAllowed(Exception):
    """No purpose check or batch gate is registered, so mail cannot be queued or sent."""


# Filled by the privacy layer (its AppConfig.ready); core never imports it.
_purpose_checks: list[Callable[[object, str], None]] = []
_batch_gates: list[Callable[[list[int]], bool]] = []


def register_purpose_check(check: Callable[[object, str], None]) -> None:
    """Run ``check(subject_id, category)`` before each message is queued; it raises to refuse."""
    if check not in _purpose_checks:
        _purpose_checks.append(check)


def register_batch_gate(gate: Callable[[list[int]], bool]) -> None:
    """Run ``gate(message_ids)`` before a batch is sent; a false answer sends nothing."""
    if gate not in _batch_gates:
        _batch_gates.append(gate)


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

    The address may serve only the purpose ``category`` stands for (C17): the registered
    purpose check raises and nothing is queued when the data map does not declare that use or
    the subject opted out of it.
    """
    if not _purpose_checks:
        raise MailNotAllowed("no purpose check is registered for outgoing mail")
    for check in _purpose_checks:
        check(subject_id, category)
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
    ids = [m.pk for m in batch]
    if not _batch_gates or not all(gate(ids) for gate in _batch_gates):
        return 0  # the gate logged why
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
