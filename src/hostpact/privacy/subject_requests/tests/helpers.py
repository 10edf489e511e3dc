"""Shared steps for the data-subject requests tests: record, read the code, verify."""

import re

from hostpact.core.models import OutboxMessage
from hostpact.privacy.subject_requests import services

CODE_RE = re.compile(r"^ +(\d{6})$", re.MULTILINE)  # the indented code line


def last_code(subject_id) -> str:
    """The code in the newest message queued to ``subject_id`` (as the person would read it)."""
    message = OutboxMessage.objects.filter(subject_id=subject_id).order_by("-id").first()
    return CODE_RE.search(message.body).group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def record(staff, subscriber, kind="correction", channel="phone", **extra):
    return services.record_request(staff, customer=subscriber.customer_id, channel=channel,
                                   kind=kind, **extra)


def verified(staff, subscriber, kind="correction", **extra):
    """A request whose person proved who they are (code by email + attestation), started."""
    dsr = record(staff, subscriber, kind=kind, **extra)
    services.send_code(dsr, staff, "email")
    services.check_code(dsr, staff, last_code(subscriber.subject_id))
    dsr = services.attest_identity(dsr, staff, True)
    return services.start_request(dsr, staff)
