"""The disclosures gate's services: the one way personal data leaves for a third party.

One module per noun: ``gate`` (``disclose``, ``check``, refusals, processors' batches),
``recipients`` (recipients and agreements), ``comarketing`` (the partner export, C23),
``authorities`` (requests from authorities and complainants, C26) and ``subject_view`` (what
a subject sees). Callers keep writing ``services.disclose(...)``.
"""

from hostpact.privacy.disclosures.services.authorities import (
    INSTRUMENT_PURPOSE,
    InvalidState,
    NotAllowed,
    approve_authority_request,
    build_authority_package,
    disclose_authority_request,
    is_compliance,
    receive_authority_request,
    reject_authority_request,
)
from hostpact.privacy.disclosures.services.comarketing import (
    DEFAULT_COLUMNS,
    PARTNER_USE,
    PROMOTION,
    Column,
    Export,
    billing_columns,
    export_comarketing,
    find_column,
    partner_columns,
    partner_use,
)
from hostpact.privacy.disclosures.services.gate import (
    CHUNK,
    EMAIL_PROVIDER,
    DisclosureRefused,
    check,
    disclose,
    record_mail_batch,
    record_processor_disclosure,
)
from hostpact.privacy.disclosures.services.recipients import (
    save_agreement,
    save_recipient,
    seed_standing,
)
from hostpact.privacy.disclosures.services.subject_view import (
    as_dict,
    for_subject,
    subject_disclosures,
)

__all__ = [
    "CHUNK", "DEFAULT_COLUMNS", "EMAIL_PROVIDER", "INSTRUMENT_PURPOSE", "PARTNER_USE",
    "PROMOTION",
    "Column", "DisclosureRefused", "Export", "InvalidState", "NotAllowed",
    "approve_authority_request", "as_dict", "billing_columns", "build_authority_package",
    "check", "disclose", "disclose_authority_request", "export_comarketing", "find_column",
    "for_subject", "is_compliance", "partner_columns", "partner_use", "receive_authority_request",
    "record_mail_batch", "record_processor_disclosure", "reject_authority_request",
    "save_agreement", "save_recipient", "seed_standing", "subject_disclosures",
]
