"""Requests from authorities and complainants (C26): received, decided, disclosed.

Legal process (a subpoena, a court order) or a complaint is recorded as received by any staff
who took it; only the compliance role approves or rejects it; an approved request is disclosed
once, through the gate, with its instrument as the legal basis, and the data package is
generated from the data map within the request's categories and dates. A non-disclosure order
keeps the disclosure out of the subject's view (and the audit event from naming them) until it
ends.

The audit actions and references keep their first names (``legal_request.*``,
``legal_request:<id>``): the ledger already holds them.
"""

from datetime import date

from django.apps import apps
from django.db import transaction

from hostpact.core import audit, clock
from hostpact.privacy import roles, taxonomy
from hostpact.privacy.disclosures.models import AuthorityRequest, Disclosure, Recipient
from hostpact.privacy.disclosures.services.gate import make_disclosure, subject_ids
from hostpact.privacy.disclosures.services.recipients import check_keys


class NotAllowed(Exception):
    """A staff member without the compliance role tried a compliance-only step."""


class InvalidState(Exception):
    """A request from an authority is not in the state this step needs."""


INSTRUMENT_PURPOSE = {
    AuthorityRequest.Instrument.SUBPOENA: "third_party_sharing.legal_obligation",
    AuthorityRequest.Instrument.COURT_ORDER: "third_party_sharing.legal_obligation",
    AuthorityRequest.Instrument.LEGAL_PROCESS: "third_party_sharing.legal_obligation",
    AuthorityRequest.Instrument.FRAUD: "essential.fraud_detection",
    AuthorityRequest.Instrument.THREAT: "essential.fraud_detection",
    AuthorityRequest.Instrument.TERMS: "essential.fraud_detection",
    AuthorityRequest.Instrument.LEGAL_CLAIMS: "essential.legal_obligation",
}


def is_compliance(user) -> bool:
    """Return True if ``user`` is active staff, a superuser or of the compliance role."""
    return roles.has_role(user, "compliance")


def _require_compliance(user) -> None:
    if not is_compliance(user):
        raise NotAllowed("Only the compliance role may decide on requests from authorities.")


def _ref(request: AuthorityRequest) -> str:
    return f"legal_request:{request.pk}"


@transaction.atomic
def receive_authority_request(*, authority, instrument: str, reference: str, subjects,
                              categories, date_from: date | None = None,
                              date_to: date | None = None, ndo_until: date | None = None,
                              actor: str) -> AuthorityRequest:
    """Record a request as received; nothing is disclosed until compliance approves."""
    authority = authority if isinstance(authority, Recipient) else Recipient.objects.get(
        slug=authority)
    if not authority.needs_legal_basis:
        raise ValueError("authority: must be a law-enforcement or complainant recipient")
    if instrument not in AuthorityRequest.Instrument.values:
        raise ValueError(f"instrument: unknown instrument {instrument!r}")
    categories = check_keys("data_category", list(dict.fromkeys(categories or [])))
    if not categories:
        raise ValueError("categories: name at least one data category")
    ids = subject_ids(subjects)
    if not ids:
        raise ValueError("subjects: name at least one subject")
    if date_from and date_to and date_from > date_to:
        raise ValueError("date_to: the range ends before it starts")
    request = AuthorityRequest.objects.create(
        instrument=instrument, reference=reference[:64], authority=authority,
        categories=categories, date_from=date_from, date_to=date_to, ndo_until=ndo_until,
        received_at=clock.now(), recorded_by=actor[:64])
    request.subjects.set(ids)
    audit.record(actor, "legal_request.receive", None, categories, _ref(request))
    return request


def approve_authority_request(request: AuthorityRequest, user,
                              note: str = "") -> AuthorityRequest:
    """Approve a received request; only a compliance-role staff member may."""
    return _decide(request, user, note, AuthorityRequest.Status.APPROVED,
                   "legal_request.approve")


def reject_authority_request(request: AuthorityRequest, user,
                             note: str = "") -> AuthorityRequest:
    """Reject a received request; only a compliance-role staff member may."""
    return _decide(request, user, note, AuthorityRequest.Status.REJECTED,
                   "legal_request.reject")


@transaction.atomic
def _decide(request: AuthorityRequest, user, note: str, status, action: str) -> AuthorityRequest:
    _require_compliance(user)
    request = AuthorityRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != AuthorityRequest.Status.RECEIVED:
        raise InvalidState(f"Authority request {request.pk} is {request.status}, not "
                           "received.")
    request.status, request.decided_by, request.decided_at = status, user, clock.now()
    request.decision_note = note[:500]
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(audit.actor_of(user), action, None, [], _ref(request))
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


def build_authority_package(request: AuthorityRequest) -> dict:
    """Return the in-scope data of an approved request, generated from the data map."""
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
        # The package's keys are a format handed to authorities: they keep their first names.
        "legal_request": request.pk, "instrument": request.get_instrument_display(),
        "reference": request.reference, "authority": request.authority.name,
        "legal_basis": request.legal_basis, "categories": list(request.categories),
        "date_from": request.date_from.isoformat() if request.date_from else None,
        "date_to": request.date_to.isoformat() if request.date_to else None,
        "generated_at": clock.now().isoformat(), "subjects": subjects,
    }


def disclose_authority_request(request: AuthorityRequest, user) -> tuple[Disclosure, dict]:
    """Disclose an approved request through the gate, with its instrument as legal basis;
    return the disclosure and the data package to hand over."""
    _require_compliance(user)
    request = AuthorityRequest.objects.select_related("authority").get(pk=request.pk)
    if request.status != AuthorityRequest.Status.APPROVED:
        raise InvalidState(f"Authority request {request.pk} is {request.status}, not "
                           "approved.")
    package = build_authority_package(request)

    def mark(disclosure):
        updated = AuthorityRequest.objects.filter(
            pk=request.pk, status=AuthorityRequest.Status.APPROVED).update(
            status=AuthorityRequest.Status.DISCLOSED)
        if not updated:  # a second click raced us: its disclosure stands, this one rolls back
            raise InvalidState(f"Authority request {request.pk} was disclosed meanwhile.")

    disclosure = make_disclosure(
        request.authority, request.subjects.values_list("pk", flat=True), request.categories,
        INSTRUMENT_PURPOSE[request.instrument], request.legal_basis,
        actor=audit.actor_of(user), reference=_ref(request), authority_request=request,
        then=mark, hidden=request.ndo_until is not None)
    return disclosure, package
