"""Requests through support: record, verify the person, work and close, every step audited.

Until the person's identity is verified (a one-time code and the staff's attestation) nothing is
exported, corrected, erased or recorded for them (``NotVerified``). The life cycle is a small
state machine; a move it does not allow raises ``IllegalTransition`` with both states named.

The steps live in one module per noun (``states``, ``lifecycle``, ``verification``,
``fulfilment``, ``deadlines``); callers keep writing ``services.record_request(...)``.
"""

from hostpact.privacy.subject_requests.services.deadlines import (
    due_date,
    overdue,
    send_due_reminders,
)
from hostpact.privacy.subject_requests.services.fulfilment import (
    apply_correction,
    corrector_of,
    corrects,
    download_export,
    fulfil_access,
    fulfil_erasure,
    fulfil_objection,
)
from hostpact.privacy.subject_requests.services.lifecycle import (
    complete_request,
    deny_request,
    find_subscriber,
    record_request,
    start_request,
)
from hostpact.privacy.subject_requests.services.states import (
    TRANSITIONS,
    WORKING_ROLES,
    IllegalTransition,
    NotVerified,
    RequestError,
    may_work,
)
from hostpact.privacy.subject_requests.services.verification import (
    CODE_SALT,
    CodeExpired,
    RequestLocked,
    WrongCode,
    attest_identity,
    check_code,
    phone_on_file,
    send_code,
)

__all__ = [
    "CODE_SALT", "TRANSITIONS", "WORKING_ROLES",
    "CodeExpired", "IllegalTransition", "NotVerified", "RequestError", "RequestLocked",
    "WrongCode",
    "apply_correction", "attest_identity",
    "check_code", "complete_request", "corrector_of", "corrects", "deny_request",
    "download_export", "due_date", "find_subscriber", "fulfil_access", "fulfil_erasure",
    "fulfil_objection", "may_work", "overdue", "phone_on_file", "record_request", "send_code",
    "send_due_reminders", "start_request",
]
