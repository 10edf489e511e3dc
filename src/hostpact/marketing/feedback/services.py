"""Recording what bounces and complaints say: Bounce rows, suppressions, unsubscriptions.

The address a report is about is always the one our outbox sent to, read from the outbox row
the VERP token (or the original Message-ID) identified: a report's own recipient fields are
written by a stranger's server and could name anyone. An outbox row whose address was erased
meanwhile records nothing about an address.
"""

from django.db import transaction

from hostpact.core import audit
from hostpact.core.models import OutboxMessage
from hostpact.marketing.feedback.dsn import Verdict
from hostpact.marketing.models import Bounce, Suppression
from hostpact.marketing.services import record_bounce, suppress_address, unsubscribe_all_marketing
from hostpact.privacy.rights.guard import SubjectErased, lock_subject_for_write

ACTOR = "system:feedback"


def record_message_bounce(message: OutboxMessage, verdict: Verdict) -> bool:
    """Record that ``message`` bounced; return whether a new bounce was recorded.

    Marketing's ``record_bounce`` applies the rule (a hard bounce suppresses the address at
    once, the third soft one in 30 days too). The same message bouncing the same way twice (a
    report delivered again) is recorded once, so a replayed DSN cannot count three times.
    """
    address = message.to_addr
    if not address:
        return False
    with transaction.atomic():
        try:
            lock_subject_for_write(message.subject_id)
        except SubjectErased:
            return False  # the erasure removes the message; nothing about it is kept
        if Bounce.objects.filter(message=message, kind=verdict.kind).exists():
            return False
        record_bounce(address, kind=verdict.kind, status=verdict.status, message=message,
                      actor=ACTOR)
    return True


def record_complaint(message: OutboxMessage, feedback_type: str) -> bool:
    """Act on a complaint about ``message``: unsubscribe its subject from every marketing list
    and suppress its address for marketing. Return whether anything was recorded."""
    with transaction.atomic():
        try:
            lock_subject_for_write(message.subject_id)
        except SubjectErased:
            return False
        unsubscribe_all_marketing(message.subject_id, method="complaint", actor=ACTOR)
        if message.to_addr:
            suppress_address(message.to_addr, Suppression.Reason.COMPLAINT,
                             detail=f"feedback-type {feedback_type}", actor=ACTOR)
        audit.record(ACTOR, "marketing.complaint", message.subject_id, [],
                     f"outbox:{message.pk}")
    return True
