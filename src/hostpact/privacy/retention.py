"""Retention classes: how long each kind of data is kept, and on what basis.

A retention class is also the unit of encryption (one data key per subject and class), so
shredding a class's key ends exactly the data that class covers.
"""

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class RetentionClass:
    key: str
    period: str  # for people: how long
    keep_after_erasure: timedelta | None  # None: goes at erasure
    legal_basis: str = ""


CLASSES = {
    c.key: c
    for c in [
        RetentionClass("account", "while the account is open", None),
        RetentionClass("security", "90 days", None),
        RetentionClass(
            "tax", "8 years after the financial year of the invoice", timedelta(days=8 * 366),
            "Companies Act 2013 s.128(5) and CGST Act 2017 s.36: books of account and invoices",
        ),
        RetentionClass("query_log", "30 days", None),
        # The request log (policy 3.2, C18): diagnosing the servers; addresses coarsened sooner.
        RetentionClass("diagnostics", "90 days", None),
        # Visit counting (policy 2.3.1, C07): the repeat-visit id, a year after the last visit;
        # the cookieless day's hashes, as long as their salt lives.
        RetentionClass("visitor_id", "365 days", None),
        RetentionClass("visit_hash", "2 days", None),
        RetentionClass(
            "registration", "the registration term plus 2 years", timedelta(days=2 * 366),
            "ICANN Registrar Accreditation Agreement 3.4: registration data retention",
        ),
        # Support tickets (policy 3.3, C19): each ticket is its own subject, whose key expires
        # HOSTPACT_SUPPORT_RETENTION_DAYS after the ticket closes (a KeyExpiry the retention
        # run honours, hence a keep); a subscriber's erasure deletes their tickets at once.
        RetentionClass("support", "while the ticket is open, then 2 years after it is closed",
                       timedelta(days=2 * 365)),
    ]
}


def get(key: str) -> RetentionClass:
    if key not in CLASSES:
        raise ValueError(f"unknown retention class {key!r}")
    return CLASSES[key]
