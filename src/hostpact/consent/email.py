"""The separate "email measurement" consent (policy 2.3.4; DESIGN "Mail": tracking needs its
own consent): whether opens (a pixel) and clicks (redirects) of our promotional mail may be
measured for a subscriber.

It lives in the same append-only ledger as the cookie choices, as receipts of the category
``email_measurement``, granted or refused, made with the control panel's switch. Such receipts
carry the fixed consent id ``CONSENT_ID`` instead of a cookie's random one (they belong to an
account, not to a browser) and the SHA-256 of the explanation the switch showed. No receipt, or
a refusal as the latest one, means no measurement.
"""

import hashlib

from django.db import transaction

from hostpact.consent import versions
from hostpact.consent.models import ConsentRecord
from hostpact.core import audit, clock
from hostpact.privacy.rights.guard import lock_subject_for_write

CATEGORY = "email_measurement"
# Never a cookie's id: those are 32 random hex digits, signed in hp_consent.
CONSENT_ID = "email-measurement"
TEXT = ("Measure my use of promotional emails: when I open one (a tiny image loaded from our "
        "server) and which links I follow (links pass through our server first). Without "
        "this, our emails have no tracking image and their links go straight to where they "
        "point.")
CHUNK = 500


def record_measurement(user, allowed: bool, *, method: str = ConsentRecord.Method.PANEL,
                       actor: str | None = None) -> ConsentRecord:
    """Append ``user``'s choice about email measurement to the ledger and return it."""
    if method not in ConsentRecord.Method.values:
        raise ValueError(f"unknown consent method {method!r}")
    subject_id = user.subject_id
    with transaction.atomic():
        lock_subject_for_write(subject_id)
        record = ConsentRecord.objects.create(
            consent_id=CONSENT_ID, subject_id=subject_id,
            granted=[CATEGORY] if allowed else [], refused=[] if allowed else [CATEGORY],
            method=method, policy_version=versions.policy_version(), banner_revision=0,
            banner_sha256=hashlib.sha256(TEXT.encode()).hexdigest(), at=clock.now())
        audit.record(actor or audit.actor_of(user), "consent.email_measurement", subject_id,
                     ["granted", "refused", "method"], f"consent:{record.pk}")
    return record


def measurement_allowed(subject_ids) -> set:
    """Return those of ``subject_ids`` whose latest email-measurement receipt grants it."""
    ids = list(dict.fromkeys(subject_ids))
    latest: dict = {}
    for start in range(0, len(ids), CHUNK):
        rows = (ConsentRecord.objects.filter(consent_id=CONSENT_ID,
                                             subject_id__in=ids[start:start + CHUNK])
                .order_by("at", "pk").values_list("subject_id", "granted"))
        for subject_id, granted in rows:
            latest[subject_id] = CATEGORY in granted
    return {s for s, on in latest.items() if on}


def measurement_history(subject_id) -> list[ConsentRecord]:
    """``subject_id``'s email-measurement receipts, newest first."""
    return list(ConsentRecord.objects.filter(consent_id=CONSENT_ID, subject_id=subject_id)
                .order_by("-at", "-pk"))
