"""The marketing app's public services: subscriptions, who may receive a list, unsubscribe
links, the email-measurement consent and suppressions. Split by noun; the names live here.
"""

from hostpact.consent import email as _measurement
from hostpact.marketing.sending import recipients, skip_unwanted
from hostpact.marketing.services.subscriptions import (
    Method,
    NotLeavable,
    history_of,
    is_subscribed,
    marketing_default,
    opt_in_country,
    set_subscription,
    subscribe_new_subscriber,
    subscriptions_of,
    unsubscribe_all_marketing,
)
from hostpact.marketing.services.suppressions import (
    record_bounce,
    remove_suppression,
    suppress_address,
    suppressed,
)
from hostpact.marketing.unsubscribe import (
    footer_text,
    list_id,
    unsubscribe_address,
    unsubscribe_headers,
    unsubscribe_url,
)


def measurement_allowed(subject_ids) -> set:
    """Return those of ``subject_ids`` who allowed their opens and clicks to be measured."""
    return _measurement.measurement_allowed(subject_ids)


def set_measurement(user, allowed: bool, *, method: str = "panel") -> None:
    """Record ``user``'s email-measurement choice in the consent ledger."""
    _measurement.record_measurement(user, allowed, method=method)


__all__ = [
    "Method", "NotLeavable", "footer_text", "history_of", "is_subscribed", "list_id",
    "marketing_default", "measurement_allowed", "opt_in_country", "recipients",
    "record_bounce", "remove_suppression", "set_measurement", "set_subscription",
    "skip_unwanted", "subscribe_new_subscriber", "subscriptions_of", "suppress_address",
    "suppressed", "unsubscribe_address", "unsubscribe_all_marketing", "unsubscribe_headers",
    "unsubscribe_url",
]
