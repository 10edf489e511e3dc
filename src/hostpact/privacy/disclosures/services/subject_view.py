"""What a subject sees of the gate: every disclosure that carried their data (C21–C26).

"Who received my data" in the panel, ``GET /api/v1/me/disclosures`` and the export all read
this list; a disclosure under a running non-disclosure order is left out of the subject's
view until the order ends, while compliance sees it throughout.
"""

from django.db.models import Q

from hostpact.core import clock
from hostpact.privacy.disclosures.models import Disclosure, Recipient


def subject_disclosures(subject_id, *, for_subject_view: bool = True):
    """Return the disclosures carrying ``subject_id``'s data, newest first (a queryset)."""
    qs = (Disclosure.objects.filter(links__subject_id=subject_id)
          .select_related("recipient").order_by("-created_at", "-pk"))
    if for_subject_view:
        today = clock.today()
        qs = qs.filter(Q(authority_request__isnull=True)
                       | Q(authority_request__ndo_until__isnull=True)
                       | Q(authority_request__ndo_until__lte=today))
    return qs


def as_dict(d: Disclosure) -> dict:
    """Return one disclosure as the subject's listing shows it; for a reseller, ``by`` says
    which of its API keys (id and name) or panel users (by role) it was, as recorded then."""
    by = d.reference if d.recipient.kind == Recipient.Kind.RESELLER else ""
    return {"id": d.pk, "recipient": d.recipient.name, "recipient_kind": d.recipient.kind,
            "categories": list(d.categories), "purpose": d.purpose,
            "legal_basis": d.legal_basis, "date": d.created_at, "by": by}


def for_subject(subject_id, *, for_subject_view: bool = True) -> list[dict]:
    """Return every disclosure of ``subject_id``'s data: recipient, categories, purpose,
    legal basis, date. With ``for_subject_view`` those under a running non-disclosure order
    are left out."""
    return [as_dict(d) for d in subject_disclosures(subject_id,
                                                    for_subject_view=for_subject_view)]
