"""The two inbound mailboxes of the feedback loop: ``bounces+<token>@`` and ``feedback@``.

Every message we send has the envelope sender ``bounces+<token>@MAIL_DOMAIN``, the token a
signed outbox id, so whatever comes back there names the message it is about. A forged token
is refused at SMTP time (nothing is stored); anything else is accepted, and only a readable DSN
or feedback report has an effect: auto-replies and damaged mail are taken and dropped, so the
sending server does not retry them forever. Providers that send feedback reports to a fixed
address use ``feedback@``, where the report itself must point at one of our messages.
"""

import logging

from django.conf import settings

from hostpact.core import inbound, mail
from hostpact.core.models import OutboxMessage
from hostpact.marketing.feedback.arf import VERP_PREFIX, FeedbackReport, parse_arf
from hostpact.marketing.feedback.dsn import classify, parse_dsn
from hostpact.marketing.feedback.services import record_complaint, record_message_bounce

log = logging.getLogger(__name__)

FEEDBACK_LOCAL_PART = "feedback"


def is_bounce_address(local_part: str) -> bool:
    """Return whether ``local_part`` is a VERP return path (``bounces+<token>``)."""
    return local_part.lower().startswith(VERP_PREFIX) and len(local_part) > len(VERP_PREFIX)


def is_feedback_address(local_part: str) -> bool:
    """Return whether ``local_part`` is the fixed feedback-report address."""
    return local_part.lower() == FEEDBACK_LOCAL_PART


def receive_bounce(message: inbound.InboundMessage) -> None:
    """Take a DSN or a feedback report sent to a VERP return path and act on it."""
    outbox = mail.message_for_verp(message.local_part)
    if outbox is None:
        raise inbound.Rejected(550, "5.1.1 No message was sent from this bounce address")
    report = parse_arf(message.message)
    if report is not None:
        if report.is_complaint:
            record_complaint(outbox, report.feedback_type)
        log.info("feedback report (%s) on outbox message %s", report.feedback_type, outbox.pk)
        return
    verdict = classify(parse_dsn(message.message))
    if verdict is None:
        log.info("mail to the bounce address of outbox message %s is no bounce", outbox.pk)
        return
    record_message_bounce(outbox, verdict)
    log.info("%s bounce (%s) of outbox message %s", verdict.kind, verdict.status, outbox.pk)


def reported_message(report: FeedbackReport) -> OutboxMessage | None:
    """Return the outbox message a feedback report is about, or None if it names none of ours.

    The VERP return path is the strongest proof; otherwise the original Message-ID, which only
    the message's recipient (and their provider) has seen. A recipient address alone proves
    nothing and is never used.
    """
    if report.verp_local_part:
        outbox = mail.message_for_verp(report.verp_local_part)
        if outbox is not None:
            return outbox
    message_id = report.message_id
    if not message_id.lower().endswith("@" + settings.MAIL_DOMAIN.lower()):
        return None
    return (OutboxMessage.objects.filter(message_id__in=[f"<{message_id}>", message_id])
            .order_by("pk").first())


def receive_feedback(message: inbound.InboundMessage) -> None:
    """Take a feedback report sent to ``feedback@`` and act on the message it names."""
    report = parse_arf(message.message)
    if report is None:
        log.info("mail to the feedback address is no feedback report")
        return
    outbox = reported_message(report)
    if outbox is None:
        log.info("feedback report (%s) names none of our messages", report.feedback_type)
        return
    if report.is_complaint:
        record_complaint(outbox, report.feedback_type)
    log.info("feedback report (%s) on outbox message %s", report.feedback_type, outbox.pk)


def install() -> None:
    """Register the bounce and feedback mailboxes with the inbound server."""
    inbound.register_mailbox("bounces", is_bounce_address, receive_bounce)
    inbound.register_mailbox("feedback", is_feedback_address, receive_feedback)
