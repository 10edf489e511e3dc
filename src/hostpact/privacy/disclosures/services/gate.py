"""The gate itself: the one check and record every disclosure to a third party passes (C21–C22).

``disclose()`` checks the recipient (registered, active, a valid agreement today that binds it
to confidentiality where its kind requires, or a legal basis for authorities and complainants),
every category (never billing data to a co-marketing partner, C23; aggregates only, about no
subject, to an advertiser, C24) and the purpose, then
records one ``Disclosure`` with a link per subject and an audit event. It returns before
anything is sent: callers send only after it returned, so a refusal means nothing went. A
refusal raises ``DisclosureRefused`` and is itself recorded.
Processors (the email provider, the payment gateway) record one disclosure per batch.
"""

import logging

from django.db import transaction

from hostpact.core import audit, clock
from hostpact.core.models import Subject
from hostpact.privacy import taxonomy
from hostpact.privacy.disclosures.models import (
    Disclosure,
    DisclosureRefusal,
    DisclosureSubject,
    Recipient,
    billing_keys,
)

log = logging.getLogger(__name__)
CHUNK = 500
EMAIL_PROVIDER = "email-provider"
AGGREGATE = "system.aggregate"  # counts over many, suppressed under their threshold


class DisclosureRefused(Exception):
    """The gate refused a disclosure; nothing may be sent. ``reason`` says why."""

    def __init__(self, reason: str, recipient: str = "", code: str = "refused"):
        super().__init__(reason)
        self.reason, self.recipient, self.code = reason, recipient, code


def subject_ids(subjects) -> list:
    """Return the ids of ``subjects`` (ids or Subjects), each once, in their order."""
    seen, out = set(), []
    for s in subjects or ():
        sid = getattr(s, "pk", s)
        if sid is not None and str(sid) not in seen:
            seen.add(str(sid))
            out.append(sid)
    return out


def _covered(key: str, allowed) -> bool:
    return any(taxonomy.within(key, a) for a in allowed or ())


def _check(recipient_ref, subject_ids, categories, purpose, legal_basis):
    """Return (recipient, agreement, legal basis) or raise ``DisclosureRefused``."""
    slug = getattr(recipient_ref, "slug", recipient_ref)
    recipient = Recipient.objects.filter(slug=str(slug or "")).first()
    if recipient is None:
        raise DisclosureRefused(f"{slug!r} is not a registered recipient.", str(slug),
                                "unregistered")
    if not recipient.active:
        raise DisclosureRefused(f"{recipient.slug} is not an active recipient.", recipient.slug,
                                "inactive")
    if not categories:
        raise DisclosureRefused("No data category named: say what is disclosed.",
                                recipient.slug, "no_category")
    partner = recipient.kind == Recipient.Kind.CO_MARKETING
    if recipient.kind == Recipient.Kind.ADVERTISER and (
            subject_ids or any(c != AGGREGATE for c in categories)):
        # C24: an advertiser learns aggregates only, whatever its row says.
        raise DisclosureRefused(f"{recipient.slug} is an advertiser and receives aggregates "
                                f"({AGGREGATE}) about no named subject, nothing else.",
                                recipient.slug, "advertiser")
    if AGGREGATE in categories and subject_ids:
        raise DisclosureRefused("An aggregate is about no one: name no subjects with it.",
                                recipient.slug, "aggregate_subjects")
    for category in categories:
        if category not in taxonomy.keys()["data_category"]:
            raise DisclosureRefused(f"{category!r} is not a known data category.",
                                    recipient.slug, "unknown_category")
        if not _covered(category, recipient.allowed_categories):
            raise DisclosureRefused(f"{recipient.slug} may not receive {category}.",
                                    recipient.slug, "category")
        # Whatever the partner's row says (its model refuses that, a direct write does not).
        if partner and billing_keys([category]):
            raise DisclosureRefused(f"{recipient.slug} is a co-marketing partner and never "
                                    f"receives billing data ({category}).", recipient.slug,
                                    "billing")
    if not purpose or not _covered(purpose, recipient.allowed_purposes):
        raise DisclosureRefused(f"{recipient.slug} may not receive data for {purpose!r}.",
                                recipient.slug, "purpose")
    agreement = None
    if recipient.needs_agreement:
        today = clock.today()
        valid = [a for a in recipient.agreements.all() if a.valid_on(today)]
        if not valid:
            raise DisclosureRefused(f"{recipient.slug} has no agreement valid on {today}.",
                                    recipient.slug, "no_agreement")
        if recipient.needs_confidentiality:
            valid = [a for a in valid if a.confidentiality]
            if not valid:
                raise DisclosureRefused(
                    f"{recipient.slug} is not bound by a confidentiality agreement.",
                    recipient.slug, "no_confidentiality")
        agreement = valid[0]
        legal_basis = legal_basis or f"{agreement.get_kind_display()} {agreement.reference}"
    elif not (legal_basis or "").strip():
        raise DisclosureRefused(f"A disclosure to {recipient.slug} needs a legal basis.",
                                recipient.slug, "no_legal_basis")
    existing = 0
    for i in range(0, len(subject_ids), CHUNK):
        chunk = Subject.objects.filter(pk__in=subject_ids[i:i + CHUNK])
        if recipient.kind == Recipient.Kind.RESELLER:  # its own customers, no one else (C38)
            chunk = chunk.filter(realm_id=recipient.realm_id)
        existing += chunk.count()
    if existing != len(subject_ids):
        raise DisclosureRefused("Some subjects named are not known"
                                + (" as this reseller's customers." if recipient.realm_id
                                   else "."), recipient.slug, "unknown_subject")
    return recipient, agreement, legal_basis


def record_refusal(exc: DisclosureRefused, recipient_ref, categories, purpose, actor,
                   reference, count) -> None:
    """Keep the trace of a refused disclosure (in its own transaction, after the refusal)."""
    slug = str(getattr(recipient_ref, "slug", recipient_ref) or "")[:64]
    with transaction.atomic():
        refusal = DisclosureRefusal.objects.create(
            recipient=Recipient.objects.filter(slug=slug).first(), recipient_slug=slug,
            categories=list(categories or []), purpose=str(purpose or "")[:120],
            reason=exc.reason[:300], actor=str(actor)[:64], reference=str(reference)[:120],
            subject_count=count, created_at=clock.now())
        audit.record(str(actor), "disclosure.refuse", None, list(categories or []),
                     f"refusal:{refusal.pk}")
    log.warning("disclosure to %s refused (%s), refusal %s", slug, exc.code, refusal.pk)


def make_disclosure(recipient, subjects, categories, purpose, legal_basis, *, actor,
                    reference="", authority_request=None, then=None,
                    hidden=False) -> Disclosure:
    """``disclose()`` with what the authorities' flow adds: the request it answers, a step
    ``then(disclosure)`` inside the same transaction, and ``hidden`` (a non-disclosure order:
    the audit event does not name the subject)."""
    ids = subject_ids(subjects)
    categories = list(dict.fromkeys(categories or []))
    try:
        with transaction.atomic():
            recipient_row, agreement, basis = _check(recipient, ids, categories, purpose,
                                                     legal_basis)
            disclosure = Disclosure.objects.create(
                recipient=recipient_row, agreement=agreement,
                authority_request=authority_request, categories=categories, purpose=purpose,
                legal_basis=basis[:300], actor=str(actor)[:64], reference=str(reference)[:120],
                subject_count=len(ids), created_at=clock.now())
            for i in range(0, len(ids), CHUNK):  # a chunk of rows at a time: memory stays flat
                DisclosureSubject.objects.bulk_create(
                    [DisclosureSubject(disclosure=disclosure, subject_id=sid)
                     for sid in ids[i:i + CHUNK]])
            # One event per call (a mail batch is one disclosure); it names the subject when
            # there is one, unless a non-disclosure order keeps the subject from learning of it.
            only = ids[0] if len(ids) == 1 and not hidden else None
            audit.record(str(actor), "disclosure.make", only, categories,
                         f"disclosure:{disclosure.pk}")
            if then is not None:
                then(disclosure)
    except DisclosureRefused as exc:
        # Written after the rollback on purpose: a refused disclosure leaves its trace although
        # nothing else of the call is kept. (Inside a caller's transaction that rolls back,
        # the trace goes too: call disclose() outside one, as this app's services do.)
        record_refusal(exc, recipient, categories, purpose, actor, reference, len(ids))
        raise
    log.info("disclosure %s to %s: %d subjects", disclosure.pk, disclosure.recipient_id,
             len(ids))
    return disclosure


def disclose(recipient, subjects, categories, purpose, legal_basis, *, actor,
             reference="") -> Disclosure:
    """Record that data of ``categories`` about ``subjects`` goes to ``recipient`` for
    ``purpose``, after checking the recipient may have it; raise ``DisclosureRefused`` (and
    record the refusal) otherwise. Send only after this returned.

    ``recipient`` is a Recipient or its slug, ``subjects`` subject ids (or Subjects),
    ``categories`` fideslang data-category keys, ``purpose`` a data-use key, ``legal_basis``
    free text (empty: the agreement's name; required for authorities and complainants).
    """
    return make_disclosure(recipient, subjects, categories, purpose, legal_basis, actor=actor,
                           reference=reference)


def check(recipient, categories, purpose, legal_basis="") -> None:
    """Raise ``DisclosureRefused`` if ``disclose`` would refuse (nothing recorded)."""
    _check(recipient, [], list(categories), purpose, legal_basis)


def record_processor_disclosure(recipient_slug: str, subject_ids, categories, purpose, *,
                                reference: str = "", actor: str = "system") -> Disclosure:
    """Record a processor adapter's disclosure: one per batch, under its standing agreement."""
    return disclose(recipient_slug, subject_ids, categories, purpose, "", actor=actor,
                    reference=reference)


def record_mail_batch(message_ids) -> list[Disclosure]:
    """Record the email provider's disclosure of an outbox batch: one record per purpose, made
    before the batch is sent (``core.mail.deliver_queued``). Raises ``DisclosureRefused`` when
    the provider may not have it, and then nothing of the batch may go."""
    from hostpact.core.models import OutboxMessage
    from hostpact.privacy.purposes import MAIL_CATEGORY, mail_purpose

    by_purpose: dict[str, list] = {}
    rows = OutboxMessage.objects.filter(id__in=list(message_ids)).values_list("subject_id",
                                                                              "category")
    for subject_id, category in rows:
        try:
            purpose = mail_purpose(category)
        except Exception:  # noqa: BLE001 - queue_mail refused unknown categories already
            purpose = "essential.service.notifications.email"
        by_purpose.setdefault(purpose, []).append(subject_id)
    for purpose, subjects in by_purpose.items():
        try:  # all purposes pass, or none is recorded and nothing goes
            check(EMAIL_PROVIDER, [MAIL_CATEGORY], purpose)
        except DisclosureRefused as exc:
            record_refusal(exc, EMAIL_PROVIDER, [MAIL_CATEGORY], purpose, "system:mail",
                           "outbox batch", len(subjects))
            raise
    return [record_processor_disclosure(EMAIL_PROVIDER, subjects, [MAIL_CATEGORY], purpose,
                                        reference="outbox batch", actor="system:mail")
            for purpose, subjects in sorted(by_purpose.items())]
