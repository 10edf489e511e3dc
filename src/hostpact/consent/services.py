"""Writes of the consent app: receipts in the ledger, and their link to a subscriber.

Every choice appends one ``ConsentRecord``. A choice made while signed in, and the receipts of
a visitor who then signs in, are linked to the subscriber's subject under the subject's write
lock, with an audit event; an anonymous visitor's receipts have no subject and no audit event
(there is no one to name).
"""

import logging

from django.db import transaction

from hostpact.consent import banner, versions
from hostpact.consent.models import ConsentRecord
from hostpact.core import audit, clock
from hostpact.privacy.cookies import CATEGORIES, REQUIRED
from hostpact.privacy.rights.guard import SubjectErased, lock_subject_for_write

log = logging.getLogger(__name__)


def _subject_of(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "subject_id", None)


def record_choice(consent_id: str, granted, *, method: str, user=None, refused=None,
                  gpc: bool = False) -> ConsentRecord:
    """Append the receipt of a choice; link it to ``user``'s subject when signed in.

    ``refused`` defaults to every category not granted; a GPC receipt names only what GPC
    refuses. The receipt carries the policy version and banner revision in force and the
    SHA-256 of the banner text shown.
    """
    granted = [c for c in CATEGORIES if c in set(granted) | {REQUIRED}]
    if refused is None:
        refused = [c for c in CATEGORIES if c not in granted]
    subject_id = _subject_of(user)
    with transaction.atomic():
        if subject_id is not None:
            try:
                lock_subject_for_write(subject_id)
            except SubjectErased:
                subject_id = None  # an account being erased keeps no new link
        record = ConsentRecord.objects.create(
            consent_id=consent_id, subject_id=subject_id, granted=granted,
            refused=list(refused), method=method, policy_version=versions.policy_version(),
            banner_revision=versions.banner_revision(), banner_sha256=banner.text_sha256(gpc),
            at=clock.now())
        if subject_id is not None:
            audit.record(audit.actor_of(user), "consent.record", subject_id,
                         ["granted", "refused", "method"], f"consent:{record.pk}")
    log.info("consent receipt %s (%s)", record.pk, method)
    return record


def link_consents(consent_id: str, user) -> int:
    """Link the unlinked receipts of ``consent_id`` to ``user``'s subject; return how many."""
    subject_id = _subject_of(user)
    if not consent_id or subject_id is None:
        return 0
    with transaction.atomic():
        try:
            lock_subject_for_write(subject_id)
        except SubjectErased:
            return 0
        linked = ConsentRecord.objects.filter(consent_id=consent_id,
                                              subject__isnull=True).update(subject_id=subject_id)
        if linked:
            audit.record(audit.actor_of(user), "consent.link", subject_id, ["subject"],
                         f"consent-id:{consent_id[:8]}")
    return linked


def link_on_login(sender, request, user, **kwargs) -> None:
    """Link the signing-in visitor's receipts to their account (``user_logged_in``)."""
    consent = getattr(request, "consent", None) if request is not None else None
    if consent is not None and consent.consent_id:
        link_consents(consent.consent_id, user)


def last_receipt(consent_id: str | None) -> ConsentRecord | None:
    """Return the latest receipt of ``consent_id``, or None."""
    if not consent_id:
        return None
    return ConsentRecord.objects.filter(consent_id=consent_id).order_by("-at", "-pk").first()
