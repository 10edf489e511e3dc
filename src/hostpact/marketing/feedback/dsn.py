"""Reading delivery status notifications (RFC 3464) and deciding what a bounce means.

A DSN is ``multipart/report; report-type=delivery-status`` whose ``message/delivery-status``
part holds one block of per-message fields and one block per recipient (Final-Recipient,
Action, Status, Diagnostic-Code). Bounces come from every kind of mail server, so the parser
reads what it can and gives up quietly: a damaged or foreign report yields no statuses, never
an exception. The status codes are RFC 3463's: class 5 is permanent (a hard bounce), class 4
transient (a soft one), also when a server gave up after retrying (``failed`` with 4.x.x).
"""

import logging
import re
from email.message import Message
from typing import NamedTuple

from hostpact.marketing.feedback.reports import clean, field_blocks, parts, report_type

log = logging.getLogger(__name__)

STATUS_PARTS = {"message/delivery-status", "message/global-delivery-status"}
_STATUS = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
_SMTP_CODE = re.compile(r"\b([245])\d\d\b")
DIAGNOSTIC_MAX = 300


class DeliveryStatus(NamedTuple):
    """One recipient's block of a DSN."""

    final_recipient: str  # the address as the reporting server wrote it; never trusted
    action: str           # failed | delayed | delivered | relayed | expanded ('' if absent)
    status: str           # RFC 3463 code such as 5.1.1 ('' if none could be read)
    diagnostic: str       # Diagnostic-Code, e.g. "smtp; 550 5.1.1 user unknown"


class Verdict(NamedTuple):
    """What a DSN says about the message it reports on."""

    kind: str    # "hard" or "soft"
    status: str  # the RFC 3463 code behind it


def _status_code(status_field: str, diagnostic: str) -> str:
    match = _STATUS.search(status_field) or _STATUS.search(diagnostic)
    if match:
        return ".".join(match.groups())
    # Some servers put only the basic SMTP reply in the diagnostic: its class is enough.
    basic = _SMTP_CODE.search(diagnostic.partition(";")[2])
    return f"{basic.group(1)}.0.0" if basic else ""


def _address(field: str) -> str:
    """Return the address of a ``type; address`` field (Final-Recipient, Original-Recipient)."""
    kind, sep, address = field.partition(";")
    return (address if sep else kind).strip().strip("<>")


def _statuses(message: Message) -> list[DeliveryStatus]:
    if report_type(message) not in ("", "delivery-status", "global-delivery-status"):
        return []
    found = []
    for part in parts(message, STATUS_PARTS):
        for block in field_blocks(part):
            if not ({"action", "status", "final-recipient"} & block.keys()):
                continue  # the per-message block (Reporting-MTA, Arrival-Date, ...)
            diagnostic = clean(block.get("diagnostic-code", ""))[:DIAGNOSTIC_MAX]
            found.append(DeliveryStatus(
                final_recipient=_address(block.get("final-recipient")
                                         or block.get("original-recipient", "")),
                action=(block.get("action", "").split() or [""])[0].lower(),
                status=_status_code(block.get("status", ""), diagnostic),
                diagnostic=diagnostic,
            ))
    return found


def parse_dsn(message: Message) -> list[DeliveryStatus]:
    """Return the per-recipient statuses of a DSN; an empty list for anything that is not one.

    Never raises: a bounce is mail from a stranger, and a malformed one must not stop the
    inbound server or leave anything half-done.
    """
    try:
        return _statuses(message)
    except Exception as exc:  # noqa: BLE001 - any damage means "not a DSN we can read"
        log.info("unreadable delivery status notification (%s)", type(exc).__name__)
        return []


def classify(statuses: list[DeliveryStatus]) -> Verdict | None:
    """Return whether the statuses make a hard or a soft bounce, or None when neither.

    ``failed`` with a 5.x.x status is hard; ``failed`` with 4.x.x (a server that gave up after
    retrying) or with no readable status is soft. ``delayed``, ``delivered``, ``relayed`` and
    ``expanded`` say the message is still on its way or arrived: nothing to record. A block
    without an Action (which RFC 3464 requires) counts only when its status is permanent.
    A hard status anywhere in the report wins over a soft one.
    """
    verdict = None
    for status in statuses:
        permanent = status.status.startswith("5.")
        if status.action == "failed" or (not status.action and permanent):
            if permanent:
                return Verdict("hard", status.status)
            if verdict is None and not status.status.startswith("2."):
                verdict = Verdict("soft", status.status)
    return verdict
