"""Reading feedback reports (RFC 5965, ARF): a recipient pressed "this is spam".

A report is ``multipart/report; report-type=feedback-report``: a human-readable part, a
``message/feedback-report`` part of fields (Feedback-Type, Original-Mail-From,
Original-Rcpt-To, ...), and the original message or its headers. What identifies *our* message
is, in order of trust, the VERP return path it was sent with (Original-Mail-From, or the
Return-Path the receiving server stamped on the original) and the original's Message-ID; the
recipient address in the report is returned for completeness but is never used to decide whom
to suppress. Like the DSN parser, this one never raises.
"""

import logging
from email.message import Message
from email.utils import parseaddr
from typing import NamedTuple

from django.conf import settings

from hostpact.marketing.feedback.reports import (
    clean,
    field_blocks,
    original_headers,
    parts,
    report_type,
)

log = logging.getLogger(__name__)

REPORT_PARTS = {"message/feedback-report"}
VERP_PREFIX = "bounces+"
# Types that say the recipient did not want the message (RFC 5965 §7.3). "virus",
# "auth-failure" (RFC 6591), "not-spam" (RFC 6650) and "other" say nothing of the kind.
COMPLAINT_TYPES = frozenset({"abuse", "fraud"})


class FeedbackReport(NamedTuple):
    """The parts of an ARF report that can point at one of our messages."""

    feedback_type: str             # lower-cased, e.g. "abuse"
    message_id: str                # the original's Message-ID without <>, '' if absent
    original_rcpt_to: str          # as reported; informational only
    verp_local_part: str           # "bounces+<token>" when the report names our return path

    @property
    def is_complaint(self) -> bool:
        """Return whether the report says the recipient did not want the message."""
        return self.feedback_type in COMPLAINT_TYPES


def _verp_local_part(*candidates: str) -> str:
    domain = settings.MAIL_DOMAIN.lower()
    for candidate in candidates:
        address = parseaddr(candidate)[1] if candidate else ""
        local, _, host = address.rpartition("@")
        if host.lower() == domain and local.lower().startswith(VERP_PREFIX):
            return local
    return ""


def _report(message: Message) -> FeedbackReport | None:
    kind = report_type(message)
    if kind not in ("", "feedback-report"):
        return None
    found = parts(message, REPORT_PARTS)
    fields = field_blocks(found[0]) if found else []
    if not fields or "feedback-type" not in fields[0]:
        return None
    report = fields[0]
    original = original_headers(message)
    original_id = clean(original.get("Message-ID", "")) if original is not None else ""
    return_path = clean(original.get("Return-Path", "")) if original is not None else ""
    return FeedbackReport(
        feedback_type=report["feedback-type"].split()[0].lower() if report["feedback-type"]
        else "",
        message_id=original_id.strip().strip("<>").strip(),
        original_rcpt_to=parseaddr(report.get("original-rcpt-to", ""))[1],
        verp_local_part=_verp_local_part(report.get("original-mail-from", ""), return_path),
    )


def parse_arf(message: Message) -> FeedbackReport | None:
    """Return what a feedback report says, or None when ``message`` is not one."""
    try:
        return _report(message)
    except Exception as exc:  # noqa: BLE001 - any damage means "not a report we can read"
        log.info("unreadable feedback report (%s)", type(exc).__name__)
        return None
