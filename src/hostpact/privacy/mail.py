"""The privacy side of outgoing mail: what may be queued, and what may leave.

Core's outbox knows how to store and send a message; it asks the hooks installed here whether
it may. ``install()`` (from ``PrivacyConfig.ready``) registers the purpose check (C17: a
message serves one declared purpose the subject did not opt out of) and the disclosures gate
(rule 3: each batch is recorded as a disclosure to the email provider before it is sent).
"""

import logging

from hostpact.core import mail

log = logging.getLogger(__name__)


def _check_purpose(subject_id, category: str) -> None:
    from hostpact.privacy.purposes import check_mail

    check_mail(subject_id, category)


def _record_batch(message_ids: list[int]) -> bool:
    """Record the batch as disclosed to the email provider; False (nothing sent) if refused."""
    from hostpact.privacy.disclosures.services import DisclosureRefused, record_mail_batch

    try:
        record_mail_batch(message_ids)
    except DisclosureRefused as exc:
        log.warning("outbox batch of %d not sent: email provider refused (%s)",
                    len(message_ids), exc.code)
        return False
    return True


def install() -> None:
    """Register the purpose check and the disclosures gate with core's outbox."""
    mail.register_purpose_check(_check_purpose)
    mail.register_batch_gate(_record_batch)
