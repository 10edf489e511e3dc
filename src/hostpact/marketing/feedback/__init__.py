"""The feedback loop (policy 5.2): bounces and complaints stop mail to dead or unwilling
addresses.

``dsn`` and ``arf`` read the two report formats (RFC 3464, RFC 5965) without touching the
database; ``services`` records what they say through marketing's suppression and subscription
services; ``mailboxes`` receives them on the inbound server (``install`` registers it, from
``MarketingConfig.ready``).
"""

from hostpact.marketing.feedback.arf import FeedbackReport, parse_arf
from hostpact.marketing.feedback.dsn import DeliveryStatus, Verdict, classify, parse_dsn
from hostpact.marketing.feedback.mailboxes import install, reported_message
from hostpact.marketing.feedback.services import record_complaint, record_message_bounce

__all__ = [
    "DeliveryStatus", "FeedbackReport", "Verdict", "classify", "install", "parse_arf",
    "parse_dsn", "record_complaint", "record_message_bounce", "reported_message",
]
