"""The disclosures gate: the one way personal data leaves for a third party (C21–C23, C26).

``disclose()`` checks the recipient (registered, active, a valid agreement today that binds it
to confidentiality where its kind requires, or a legal basis for authorities and complainants),
every category and the purpose, then records one ``Disclosure`` with a link per subject and an
audit event. It returns before anything is sent: callers send only after it returned, so a
refusal means nothing went. A refusal raises ``DisclosureRefused`` and is itself recorded.

Also here: the co-marketing export (contact data of subscribers who did not opt out, never a
billing field), the processors' cheap per-batch records, the per-subject listing and the legal
request flow (received → approved / rejected → disclosed, approved by the compliance role).
"""

import csv
import io
import logging
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.db import transaction
from django.db.models import Q

from hostpact.core import audit, clock
from hostpact.core.models import Subject
from hostpact.privacy import registry, roles, taxonomy
from hostpact.privacy.disclosures import standing
from hostpact.privacy.disclosures.models import (
    Agreement,
    Disclosure,
    DisclosureRefusal,
    DisclosureSubject,
    LegalRequest,
    Recipient,
)

log = logging.getLogger(__name__)
CHUNK = 500


class DisclosureRefused(Exception):
    """The gate refused a disclosure; nothing may be sent. ``reason`` says why."""

    def __init__(self, reason: str, recipient: str = "", code: str = "refused"):
        super().__init__(reason)
        self.reason, self.recipient, self.code = reason, recipient, code


class NotAllowed(Exception):
    """A staff member without the compliance role tried a compliance-only step."""


class InvalidState(Exception):
    """A legal request is not in the state this step needs."""


# --- the gate -------------------------------------------------------------------------------

def _subject_ids(subjects) -> list:
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
    for category in categories:
        if category not in taxonomy.keys()["data_category"]:
            raise DisclosureRefused(f"{category!r} is not a known data category.",
                                    recipient.slug, "unknown_category")
        if not _covered(category, recipient.allowed_categories):
            raise DisclosureRefused(f"{recipient.slug} may not receive {category}.",
                                    recipient.slug, "category")
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
        existing += Subject.objects.filter(pk__in=subject_ids[i:i + CHUNK]).count()
    if existing != len(subject_ids):
        raise DisclosureRefused("Some subjects named are not known.", recipient.slug,
                                "unknown_subject")
    return recipient, agreement, legal_basis


def _record_refusal(exc: DisclosureRefused, recipient_ref, categories, purpose, actor,
                    reference, count) -> None:
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


def _disclose(recipient, subjects, categories, purpose, legal_basis, *, actor, reference="",
              legal_request=None, then=None, hidden=False) -> Disclosure:
    subject_ids = _subject_ids(subjects)
    categories = list(dict.fromkeys(categories or []))
    try:
        with transaction.atomic():
            recipient_row, agreement, basis = _check(recipient, subject_ids, categories, purpose,
                                                     legal_basis)
            disclosure = Disclosure.objects.create(
                recipient=recipient_row, agreement=agreement, legal_request=legal_request,
                categories=categories, purpose=purpose, legal_basis=basis[:300],
                actor=str(actor)[:64], reference=str(reference)[:120],
                subject_count=len(subject_ids), created_at=clock.now())
            DisclosureSubject.objects.bulk_create(
                [DisclosureSubject(disclosure=disclosure, subject_id=sid) for sid in subject_ids],
                batch_size=CHUNK)
            # One event per call (a mail batch is one disclosure); it names the subject when
            # there is one, unless a non-disclosure order keeps the subject from learning of it.
            only = subject_ids[0] if len(subject_ids) == 1 and not hidden else None
            audit.record(str(actor), "disclosure.make", only, categories,
                         f"disclosure:{disclosure.pk}")
            if then is not None:
                then(disclosure)
    except DisclosureRefused as exc:
        # Written after the rollback on purpose: a refused disclosure leaves its trace although
        # nothing else of the call is kept. (Inside a caller's transaction that rolls back,
        # the trace goes too: call disclose() outside one, as this app's services do.)
        _record_refusal(exc, recipient, categories, purpose, actor, reference, len(subject_ids))
        raise
    log.info("disclosure %s to %s: %d subjects", disclosure.pk, disclosure.recipient_id,
             len(subject_ids))
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
    return _disclose(recipient, subjects, categories, purpose, legal_basis, actor=actor,
                     reference=reference)


def check(recipient, categories, purpose, legal_basis="") -> None:
    """Raise ``DisclosureRefused`` if ``disclose`` would refuse (nothing recorded)."""
    _check(recipient, [], list(categories), purpose, legal_basis)


def record_processor_disclosure(recipient_slug: str, subject_ids, categories, purpose, *,
                                reference: str = "", actor: str = "system") -> Disclosure:
    """A processor adapter's disclosure: one record per batch, under its standing agreement."""
    return disclose(recipient_slug, subject_ids, categories, purpose, "", actor=actor,
                    reference=reference)


EMAIL_PROVIDER = "email-provider"


def record_mail_batch(message_ids) -> list[Disclosure]:
    """The email provider's disclosure of an outbox batch: one record per purpose, made before
    the batch is sent (``core.mail.deliver_queued``). Raises ``DisclosureRefused`` when the
    provider may not have it, and then nothing of the batch may go."""
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
            _record_refusal(exc, EMAIL_PROVIDER, [MAIL_CATEGORY], purpose, "system:mail",
                            "outbox batch", len(subjects))
            raise
    return [record_processor_disclosure(EMAIL_PROVIDER, subjects, [MAIL_CATEGORY], purpose,
                                        reference="outbox batch", actor="system:mail")
            for purpose, subjects in sorted(by_purpose.items())]


# --- what a subject sees -----------------------------------------------------------------------

def subject_disclosures(subject_id, *, for_subject_view: bool = True):
    """The disclosures carrying ``subject_id``'s data, newest first (a queryset)."""
    qs = (Disclosure.objects.filter(links__subject_id=subject_id)
          .select_related("recipient").order_by("-created_at", "-pk"))
    if for_subject_view:
        today = clock.today()
        qs = qs.filter(Q(legal_request__isnull=True) | Q(legal_request__ndo_until__isnull=True)
                       | Q(legal_request__ndo_until__lte=today))
    return qs


def as_dict(d: Disclosure) -> dict:
    return {"id": d.pk, "recipient": d.recipient.name, "recipient_kind": d.recipient.kind,
            "categories": list(d.categories), "purpose": d.purpose,
            "legal_basis": d.legal_basis, "date": d.created_at}


def for_subject(subject_id, *, for_subject_view: bool = True) -> list[dict]:
    """Every disclosure of ``subject_id``'s data: recipient, categories, purpose, legal basis,
    date. With ``for_subject_view`` those under a running non-disclosure order are left out."""
    return [as_dict(d) for d in subject_disclosures(subject_id,
                                                    for_subject_view=for_subject_view)]


# --- the registry of recipients ---------------------------------------------------------------

def seed_standing() -> int:
    """Create the standing recipients that are missing (never changes existing ones)."""
    with transaction.atomic():
        return standing.seed(Recipient, Agreement, clock.now())


def _check_keys(kind: str, keys) -> list[str]:
    return [taxonomy.check(kind, k) for k in keys or []]


@transaction.atomic
def save_recipient(recipient: Recipient, *, actor: str) -> Recipient:
    """Create or change a recipient (back office); category keys are checked."""
    _check_keys("data_category", recipient.allowed_categories)
    if recipient.created_at is None:
        recipient.created_at = clock.now()
    recipient.save()
    audit.record(actor, "disclosure.recipient.save", None,
                 ["allowed_categories", "allowed_purposes", "active"],
                 f"recipient:{recipient.slug}")
    return recipient


@transaction.atomic
def save_agreement(agreement: Agreement, *, actor: str) -> Agreement:
    agreement.save()
    audit.record(actor, "disclosure.agreement.save", None, ["valid_from", "valid_until",
                                                            "confidentiality"],
                 f"agreement:{agreement.pk}")
    return agreement


# --- co-marketing export (C23) --------------------------------------------------------------

PROMOTION = "marketing.communications.email.promotions"
PARTNER_USE = "marketing.communications.email.promotions.partners"

# Columns a co-marketing request may name, each an ("app.Model", field) of the data map. The
# billing columns are offered so a request for them can be refused whole, never filled.
EXPORT_COLUMNS = {
    "name": ("accounts.Profile", "name"),
    "email": ("accounts.User", "email"),
    "phone": ("accounts.Profile", "phone"),
    "billing_name": ("billing.BillingAddress", "name"),
    "billing_email": ("billing.BillingAddress", "email"),
    "billing_address": ("billing.BillingAddress", "line1"),
    "card": ("billing.PaymentMethod", "last4"),
    "invoice_total": ("billing.Invoice", "total"),
}
DEFAULT_COLUMNS = ("name", "email")


def _decl(column: str):
    label, field = EXPORT_COLUMNS[column]
    model = apps.get_model(label)
    return model, field, registry.for_model(model).fields[field]


def partner_use() -> str:
    """The use a partner promotion is (under our promotions: opting out of those opts out of
    partners' too)."""
    return PARTNER_USE


def _opted_in(subject_id) -> bool:
    """Has the subscriber not opted out of partners' promotions?"""
    from hostpact.privacy.policy.services import allowed

    return allowed(subject_id, partner_use())


@dataclass
class Export:
    disclosure: Disclosure
    columns: list[str]
    rows: list[list[str]]

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return out.getvalue()


def export_comarketing(recipient, columns=DEFAULT_COLUMNS, *, actor: str,
                       reference: str = "") -> Export:
    """Contact data of the subscribers who did not opt out, for a co-marketing partner.

    The whole request is refused (``DisclosureRefused``, recorded, nothing produced) when a
    column is unknown, is billing or financial data, or is data the data map does not let us
    use for promotion; the gate then checks the partner's agreement and categories.
    """
    columns = list(dict.fromkeys(columns or []))
    slug = getattr(recipient, "slug", recipient)
    try:
        if not columns:
            raise DisclosureRefused("Name at least one column.", str(slug), "no_category")
        unknown = [c for c in columns if c not in EXPORT_COLUMNS]
        if unknown:
            raise DisclosureRefused(f"Unknown columns: {', '.join(unknown)}.", str(slug),
                                    "unknown_column")
        row = Recipient.objects.filter(slug=str(slug)).first()
        if row is not None and row.kind != Recipient.Kind.CO_MARKETING:
            raise DisclosureRefused(f"{slug} is not a co-marketing partner.", str(slug),
                                    "not_partner")
        for column in columns:
            model, _, decl = _decl(column)
            if model._meta.app_label == "billing" or taxonomy.within(decl.category,
                                                                     "user.financial"):
                raise DisclosureRefused(
                    f"{column!r} is billing information, which is never shared with a "
                    "co-marketing partner: the whole request is refused.", str(slug),
                    "billing")
            if not any(taxonomy.within(p, PROMOTION) or taxonomy.within(PROMOTION, p)
                       for p in decl.purposes):
                raise DisclosureRefused(
                    f"{column!r} is not collected for promotion, so it cannot be shared for "
                    "one.", str(slug), "purpose")
    except DisclosureRefused as exc:
        # Kept on purpose although the request is refused (no transaction is open here).
        categories = [_decl(c)[2].category for c in columns if c in EXPORT_COLUMNS]
        _record_refusal(exc, slug, categories, PROMOTION, actor, reference, 0)
        raise

    User = apps.get_model("accounts.User")
    users = (User.objects.filter(is_staff=False, is_active=True)
             .select_related("profile").order_by("pk"))
    chosen, rows = [], []
    for user in users.iterator(chunk_size=CHUNK):
        if not _opted_in(user.subject_id):
            continue
        values = []
        for column in columns:
            model, field, _ = _decl(column)
            source = user if model is User else getattr(user, "profile", None)
            values.append(getattr(source, field, "") or "")
        chosen.append(user.subject_id)
        rows.append(values)
    categories = list(dict.fromkeys(_decl(c)[2].category for c in columns))
    disclosure = disclose(slug, chosen, categories, PROMOTION, "", actor=actor,
                          reference=reference or "co-marketing export")
    return Export(disclosure, columns, rows)


# --- legal requests (C26) -----------------------------------------------------------------------

def is_compliance(user) -> bool:
    if user is None or not getattr(user, "is_active", False):
        return False
    return bool(user.is_superuser or "compliance" in roles.role_names(user))


def _require_compliance(user) -> None:
    if not is_compliance(user):
        raise NotAllowed("Only the compliance role may decide on legal requests.")


INSTRUMENT_PURPOSE = {
    LegalRequest.Instrument.SUBPOENA: "third_party_sharing.legal_obligation",
    LegalRequest.Instrument.COURT_ORDER: "third_party_sharing.legal_obligation",
    LegalRequest.Instrument.LEGAL_PROCESS: "third_party_sharing.legal_obligation",
    LegalRequest.Instrument.FRAUD: "essential.fraud_detection",
    LegalRequest.Instrument.THREAT: "essential.fraud_detection",
    LegalRequest.Instrument.TERMS: "essential.fraud_detection",
    LegalRequest.Instrument.LEGAL_CLAIMS: "essential.legal_obligation",
}


@transaction.atomic
def receive_legal_request(*, authority, instrument: str, reference: str, subjects,
                          categories, date_from: date | None = None, date_to: date | None = None,
                          ndo_until: date | None = None, actor: str) -> LegalRequest:
    """Record legal process as received; nothing is disclosed until compliance approves."""
    authority = authority if isinstance(authority, Recipient) else Recipient.objects.get(
        slug=authority)
    if not authority.needs_legal_basis:
        raise ValueError("authority: must be a law-enforcement or complainant recipient")
    if instrument not in LegalRequest.Instrument.values:
        raise ValueError(f"instrument: unknown instrument {instrument!r}")
    categories = _check_keys("data_category", list(dict.fromkeys(categories or [])))
    if not categories:
        raise ValueError("categories: name at least one data category")
    subject_ids = _subject_ids(subjects)
    if not subject_ids:
        raise ValueError("subjects: name at least one subject")
    if date_from and date_to and date_from > date_to:
        raise ValueError("date_to: the range ends before it starts")
    request = LegalRequest.objects.create(
        instrument=instrument, reference=reference[:64], authority=authority,
        categories=categories, date_from=date_from, date_to=date_to, ndo_until=ndo_until,
        received_at=clock.now(), recorded_by=actor[:64])
    request.subjects.set(subject_ids)
    audit.record(actor, "legal_request.receive", None, categories, f"legal_request:{request.pk}")
    return request


def approve_legal_request(request: LegalRequest, user, note: str = "") -> LegalRequest:
    """Approve a received request; only a compliance-role staff member may."""
    return _decide(request, user, note, LegalRequest.Status.APPROVED, "legal_request.approve")


def reject_legal_request(request: LegalRequest, user, note: str = "") -> LegalRequest:
    """Reject a received request; only a compliance-role staff member may."""
    return _decide(request, user, note, LegalRequest.Status.REJECTED, "legal_request.reject")


@transaction.atomic
def _decide(request: LegalRequest, user, note: str, status, action: str) -> LegalRequest:
    _require_compliance(user)
    request = LegalRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != LegalRequest.Status.RECEIVED:
        raise InvalidState(f"Legal request {request.pk} is {request.status}, not received.")
    request.status, request.decided_by, request.decided_at = status, user, clock.now()
    request.decision_note = note[:500]
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(audit.actor_of(user), action, None, [], f"legal_request:{request.pk}")
    return request


def _row_date(item, cache: dict):
    """The date a data item's row was made, when its model has one (for the date range)."""
    key = (item.app, item.model, item.row)
    if key not in cache:
        model = apps.get_model(item.app, item.model)
        names = {f.name for f in model._meta.concrete_fields}
        stamp = next((n for n in ("created_at", "issued_at", "date_joined", "updated_at")
                      if n in names), None)
        value = (model._default_manager.filter(pk=item.row).values_list(stamp, flat=True)
                 .first() if stamp else None)
        cache[key] = value.date() if value is not None else None
    return cache[key]


def build_legal_package(request: LegalRequest) -> dict:
    """The in-scope data of an approved request, generated from the data map."""
    from hostpact.privacy.subject_data import SECRET_PREFIX, items_for

    cache: dict = {}
    subjects = []
    for subject_id in request.subjects.order_by("pk").values_list("pk", flat=True):
        items = []
        for item in items_for(subject_id):
            if taxonomy.within(item.category, SECRET_PREFIX):
                continue  # credentials never leave, whatever the scope
            if not any(taxonomy.within(item.category, c) for c in request.categories):
                continue
            if request.date_from or request.date_to:
                made = _row_date(item, cache)
                if made is not None and ((request.date_from and made < request.date_from)
                                         or (request.date_to and made > request.date_to)):
                    continue
            items.append({"section": item.section, "field": f"{item.app}.{item.model}."
                          f"{item.field}", "label": item.label, "category": item.category,
                          "value": item.value})
        subjects.append({"subject": str(subject_id), "items": items})
    return {
        "legal_request": request.pk, "instrument": request.get_instrument_display(),
        "reference": request.reference, "authority": request.authority.name,
        "legal_basis": request.legal_basis, "categories": list(request.categories),
        "date_from": request.date_from.isoformat() if request.date_from else None,
        "date_to": request.date_to.isoformat() if request.date_to else None,
        "generated_at": clock.now().isoformat(), "subjects": subjects,
    }


def disclose_legal_request(request: LegalRequest, user) -> tuple[Disclosure, dict]:
    """Disclose an approved request through the gate, with its instrument as legal basis;
    return the disclosure and the data package to hand over."""
    _require_compliance(user)
    request = LegalRequest.objects.select_related("authority").get(pk=request.pk)
    if request.status != LegalRequest.Status.APPROVED:
        raise InvalidState(f"Legal request {request.pk} is {request.status}, not approved.")
    package = build_legal_package(request)

    def mark(disclosure):
        updated = LegalRequest.objects.filter(
            pk=request.pk, status=LegalRequest.Status.APPROVED).update(
            status=LegalRequest.Status.DISCLOSED)
        if not updated:  # a second click raced us: its disclosure stands, this one rolls back
            raise InvalidState(f"Legal request {request.pk} was disclosed meanwhile.")

    disclosure = _disclose(
        request.authority, request.subjects.values_list("pk", flat=True), request.categories,
        INSTRUMENT_PURPOSE[request.instrument], request.legal_basis,
        actor=audit.actor_of(user), reference=f"legal_request:{request.pk}",
        legal_request=request, then=mark, hidden=request.ndo_until is not None)
    return disclosure, package
