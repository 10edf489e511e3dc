"""Outgoing mail, the queueing side: the outbox rows, the hooks that decide what may go, and VERP.

``queue_mail`` (and ``queue_many`` for campaigns) stores a message encrypted and enqueues
delivery when the transaction commits; ``deliver_queued`` (the worker's task, in
``core.outbox``) claims, signs, sends and marks each message.

What may be mailed is not core's decision: the privacy layer registers a purpose check
(``register_purpose_check``, run before a message is queued) and a batch gate
(``register_batch_gate``, run before a batch leaves for the email provider), both failing
closed; marketing registers a send filter (``register_send_filter``) that skips, at the last
moment, messages to addresses that unsubscribed or were suppressed after they were queued.

Every message leaves with a VERP return path, ``bounces+<token>@MAIL_DOMAIN``: the token is
the message's id with a truncated HMAC, lower-case base32, so a bounce names the message it is
about, a forged one names nothing, and an MTA that lower-cases local parts breaks nothing.
"""

import base64
import hashlib
import hmac
from collections.abc import Callable
from email.utils import make_msgid

from django.conf import settings
from django.db import transaction

from hostpact.core import clock, realms
from hostpact.core.branding import from_address
from hostpact.core.models import OutboxMessage
from hostpact.core.smtp import SMTPURLBackend

__all__ = [
    "MailNotAllowed", "SMTPURLBackend", "deliver_queued", "message_for_verp", "queue_mail",
    "queue_many", "register_batch_gate", "register_purpose_check", "register_send_filter",
    "verp_address",
]

VERP_PREFIX = "bounces+"
_VERP_MAC_CHARS = 16  # 80 bits of HMAC: unguessable, and short enough for a local part
MESSAGE_ID_MAX = OutboxMessage._meta.get_field("message_id").max_length


class MailNotAllowed(Exception):
    """No purpose check or batch gate is registered, so mail cannot be queued or sent."""


# Filled by the privacy layer and marketing (their AppConfig.ready); core imports neither.
_purpose_checks: list[Callable[[object, str], None]] = []
_batch_gates: list[Callable[[list[int]], bool]] = []
_send_filters: list[Callable[[list[OutboxMessage]], dict[int, str]]] = []


def register_purpose_check(check: Callable[[object, str], None]) -> None:
    """Run ``check(subject_id, category)`` before each message is queued; it raises to refuse."""
    if check not in _purpose_checks:
        _purpose_checks.append(check)


def register_batch_gate(gate: Callable[[list[int]], bool]) -> None:
    """Run ``gate(message_ids)`` before a batch is sent; a false answer sends nothing."""
    if gate not in _batch_gates:
        _batch_gates.append(gate)


def register_send_filter(fn: Callable[[list[OutboxMessage]], dict[int, str]]) -> None:
    """Run ``fn(messages)`` on each batch just before it is sent; it returns
    ``{message id: reason}`` for the messages to skip (status ``skipped``, ``skip_reason``)."""
    if fn not in _send_filters:
        _send_filters.append(fn)


def _check_purposes(subject_id, category: str) -> None:
    if not _purpose_checks:
        raise MailNotAllowed("no purpose check is registered for outgoing mail")
    for check in _purpose_checks:
        check(subject_id, category)


def _new_row(subject_id, to: str, subject_line: str, body: str, category: str, *,
             html: str | None, headers: dict[str, str] | None,
             from_addr: str | None) -> OutboxMessage:
    extra = {str(k): str(v) for k, v in (headers or {}).items()}
    given = [k for k in extra if k.lower() == "message-id"]
    message_id = extra.pop(given[0]).strip() if given else make_msgid(domain=settings.MAIL_DOMAIN)
    if len(message_id) > MESSAGE_ID_MAX:
        raise ValueError(f"Message-ID is longer than {MESSAGE_ID_MAX} characters")
    if any(ch in value for value in (*extra, *extra.values(), message_id, from_addr or "")
           for ch in "\r\n"):
        raise ValueError("a mail header may not contain a line break")
    return OutboxMessage(
        subject_id=subject_id, category=category, to_addr=to, subject_line=subject_line,
        body=body, html=html or None, headers=extra,
        # Mail written on a reseller's host goes to its customer: from its brand's name.
        from_addr=from_addr or from_address(realms.current()) or "",
        message_id=message_id, created_at=clock.now(),
    )


def _enqueue_once() -> None:
    # One delivery task per transaction, however many messages it queued.
    pending = transaction.get_connection().run_on_commit
    if not any(func is _enqueue_delivery for _, func, _ in pending):
        transaction.on_commit(_enqueue_delivery)


def queue_mail(subject_id, to: str, subject_line: str, body: str,
               category: str = "transactional", *, html: str | None = None,
               headers: dict[str, str] | None = None,
               from_addr: str | None = None) -> OutboxMessage:
    """Put a message in the outbox; the worker sends it once the transaction commits.

    The address may serve only the purpose ``category`` stands for (C17): the registered
    purpose check raises and nothing is queued when the data map does not declare that use or
    the subject opted out of it. ``headers`` are added as given (a ``Message-ID`` among them is
    used as the message's id); ``html`` makes the message multipart/alternative; ``from_addr``
    replaces ``DEFAULT_FROM_EMAIL`` as the From header.
    """
    _check_purposes(subject_id, category)
    message = _new_row(subject_id, to, subject_line, body, category, html=html,
                       headers=headers, from_addr=from_addr)
    message.save(force_insert=True)
    _enqueue_once()
    return message


def queue_many(items: list[dict], category: str) -> list[int]:
    """Queue many messages of one category at once; return their ids, in ``items`` order.

    Each item has ``subject_id``, ``to``, ``subject_line``, ``body`` and optionally ``html``,
    ``headers`` and ``from_addr``. The purpose check runs once per distinct subject (it raises,
    and nothing is queued, if any of them may not be mailed); the rows go in with one insert
    per thousand and one delivery task is enqueued.
    """
    if not items:
        return []
    for subject_id in dict.fromkeys(item["subject_id"] for item in items):
        _check_purposes(subject_id, category)
    rows = [_new_row(item["subject_id"], item["to"], item["subject_line"], item["body"],
                     category, html=item.get("html"), headers=item.get("headers"),
                     from_addr=item.get("from_addr")) for item in items]
    with transaction.atomic():
        created = OutboxMessage.objects.bulk_create(rows, batch_size=1000)
        _enqueue_once()
    return [row.pk for row in created]


def _enqueue_delivery() -> None:
    from hostpact.core.tasks import deliver_outbox

    deliver_outbox.enqueue()


def deliver_queued(limit: int = 500) -> int:
    """Send up to ``limit`` queued messages over one SMTP connection; return how many went
    (``core.outbox.deliver_queued`` does the work)."""
    from hostpact.core import outbox

    return outbox.deliver_queued(limit)


def _verp_mac(pk_text: str) -> str:
    key = hashlib.sha256(b"hostpact.core.mail.verp:" + settings.SECRET_KEY.encode()).digest()
    mac = hmac.new(key, pk_text.encode(), hashlib.sha256).digest()
    return base64.b32encode(mac).decode().lower()[:_VERP_MAC_CHARS]


def _base32_int(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8 or 1, "big")
    return base64.b32encode(raw).decode().rstrip("=").lower()


def verp_address(message_pk: int) -> str:
    """Return the return path of outbox message ``message_pk``: ``bounces+<token>@MAIL_DOMAIN``."""
    pk_text = _base32_int(int(message_pk))
    return f"{VERP_PREFIX}{pk_text}-{_verp_mac(pk_text)}@{settings.MAIL_DOMAIN}"


def message_for_verp(local_part: str) -> OutboxMessage | None:
    """Return the outbox message a VERP local part (``bounces+<token>``, or the token alone)
    names; None when the token is forged, malformed or its message is gone."""
    token = (local_part or "").strip().lower().split("@", 1)[0]
    token = token.removeprefix(VERP_PREFIX)
    pk_text, _, mac = token.partition("-")
    if not pk_text or not hmac.compare_digest(mac.encode(), _verp_mac(pk_text).encode()):
        return None
    try:
        padded = pk_text.upper() + "=" * (-len(pk_text) % 8)
        pk = int.from_bytes(base64.b32decode(padded), "big")
    except (ValueError, TypeError):
        return None
    return OutboxMessage.objects.filter(pk=pk).first()
