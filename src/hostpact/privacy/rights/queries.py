"""Which legal holds are in force, asked by erasure and by the retention run.

A hold names a subject, or one record (``app_label.model`` and primary key) whose subject is
filled in when the hold is placed. A hold on a subject keeps all of that subject's data and
pauses its erasure. A hold on one record keeps only that record: the erasure moves it under
the hold's own key and erases the rest, and the record stays protected until that key is
shredded after the hold.
"""

from django.db.models import Q

from hostpact.core import clock
from hostpact.privacy.rights.models import LegalHold


def _active(moment=None):
    moment = moment or clock.now()
    return LegalHold.objects.filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=moment),
        released_at__isnull=True, starts_at__lte=moment,
    )


def holds_on_subject(subject_id, moment=None) -> list[LegalHold]:
    """Holds in force that cover ``subject_id`` (on the subject or one of its records)."""
    return list(_active(moment).filter(subject_id=subject_id).order_by("starts_at", "pk"))


def subject_holds(subject_id, moment=None) -> list[LegalHold]:
    """Holds in force on the whole of ``subject_id`` (they pause its erasure)."""
    return [h for h in holds_on_subject(subject_id, moment) if not h.record_model]


def record_holds(subject_id, moment=None) -> list[LegalHold]:
    """Holds in force on single records of ``subject_id``."""
    return [h for h in holds_on_subject(subject_id, moment) if h.record_model]


def held_subjects(moment=None) -> set:
    """Ids of subjects with a subject-wide hold in force."""
    return set(_active(moment).filter(record_model="", subject__isnull=False)
               .values_list("subject_id", flat=True))


def held_records(model, moment=None) -> set[str]:
    """Primary keys (as text) of ``model``'s rows under a record hold in force."""
    return set(_active(moment).filter(record_model=model._meta.label_lower)
               .values_list("record_pk", flat=True))


def protected_records(model, moment=None) -> set[str]:
    """Primary keys (as text) of ``model``'s rows that erasure and clearing must leave alone:
    under a record hold in force, or still under a hold's key not yet shredded."""
    label = model._meta.label_lower
    under_key = (LegalHold.objects.filter(record_model=label, key_subject__isnull=False,
                                          key_shredded_at__isnull=True)
                 .values_list("record_pk", flat=True))
    return held_records(model, moment) | set(under_key)


def held_record_refs(moment=None) -> set[tuple[str, str]]:
    """(``app_label.model``, primary key) of every record under a record hold in force."""
    return set(_active(moment).exclude(record_model="").values_list("record_model",
                                                                     "record_pk"))


def describe(hold: LegalHold) -> str:
    """A line for the erasure status: the reason and until when, no case details."""
    return f"Paused by a legal hold ({hold.get_reason_display().lower()}), {until(hold)}."


def until(hold: LegalHold) -> str:
    return f"until {hold.ends_at:%Y-%m-%d}" if hold.ends_at else "until it is released"


def held_for_status(subject_id, moment=None) -> list[dict]:
    """What holds in force keep of ``subject_id``, for its erasure status: the kind of record,
    the role that placed the hold, its basis and until when; no values, no case reference."""
    from django.apps import apps

    out = []
    for hold in holds_on_subject(subject_id, moment):
        if hold.record_model:
            try:
                item = str(apps.get_model(hold.record_model)._meta.verbose_name).capitalize()
            except (LookupError, ValueError):
                item = "A record"
        else:
            item = "All your information"
        out.append({"item": item, "role": hold.role, "basis": hold.get_reason_display(),
                    "until": hold.ends_at.date().isoformat() if hold.ends_at
                    else "until the hold is released"})
    return out
