"""Data-map declarations of the disclosures app's models.

No column here holds a personal value: recipients are companies and authorities, categories and
purposes are taxonomy keys, and subjects appear only as ids (as every ``subject`` link does).
"""

from hostpact.privacy.disclosures.models import (
    Agreement,
    AuthorityRequest,
    Disclosure,
    DisclosureRefusal,
    DisclosureSubject,
    Recipient,
)
from hostpact.privacy.registry import declare, not_personal

_org = "about an organisation, not a person"
_keys = "taxonomy keys naming kinds of data, not data"

declare(Recipient, id=not_personal(), slug=not_personal(_org), name=not_personal(_org),
        kind=not_personal(), role=not_personal(), active=not_personal(),
        allowed_categories=not_personal(_keys), allowed_purposes=not_personal(_keys),
        created_at=not_personal(), realm=not_personal())
declare(Agreement, id=not_personal(), recipient=not_personal(), kind=not_personal(),
        reference=not_personal("the contract's number"), signed_on=not_personal(_org),
        valid_from=not_personal(_org), valid_until=not_personal(_org),
        confidentiality=not_personal())
declare(AuthorityRequest, id=not_personal(), instrument=not_personal(),
        reference=not_personal("the court's or authority's case number"),
        authority=not_personal(), subjects=not_personal("subject ids, as every subject link"),
        categories=not_personal(_keys), date_from=not_personal(), date_to=not_personal(),
        status=not_personal(), received_at=not_personal(),
        recorded_by=not_personal("a staff actor id"), decided_by=not_personal("a staff user"),
        decided_at=not_personal(),
        decision_note=not_personal("the staff's reasoning; the form asks for no names"),
        ndo_until=not_personal())
declare(AuthorityRequest.subjects.through, id=not_personal(),
        authorityrequest=not_personal(), subject=not_personal())
declare(Disclosure, id=not_personal(), recipient=not_personal(), agreement=not_personal(),
        authority_request=not_personal(), categories=not_personal(_keys),
        purpose=not_personal(_keys),
        legal_basis=not_personal("a contract or an instrument and its number"),
        actor=not_personal("an actor id"), reference=not_personal("an internal reference"),
        subject_count=not_personal("a count"), created_at=not_personal())
declare(DisclosureSubject, id=not_personal(), disclosure=not_personal(), subject=not_personal())
declare(DisclosureRefusal, id=not_personal(), recipient=not_personal(),
        recipient_slug=not_personal(_org), categories=not_personal(_keys),
        purpose=not_personal(_keys), reason=not_personal("the gate's own message"),
        actor=not_personal("an actor id"), reference=not_personal("an internal reference"),
        subject_count=not_personal("a count"), created_at=not_personal())
