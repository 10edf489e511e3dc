"""Which legal holds are in force, asked by erasure and by the retention run.

A hold names a subject, or one record (``app_label.model`` and primary key) whose subject is
filled in when the hold is placed. A hold on a subject keeps all of that subject's data; a hold
on one record keeps that record from purging and, because a subject's data keys cover all its
records of a class at once, also pauses the subject's erasure.
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
    return list(_active(moment).filter(subject_id=subject_id).order_by("starts_at"))


def held_subjects(moment=None) -> set:
    """Ids of subjects with a subject-wide hold in force."""
    return set(_active(moment).filter(record_model="", subject__isnull=False)
               .values_list("subject_id", flat=True))


def subjects_with_any_hold(moment=None) -> set:
    """Ids of subjects any hold in force touches (subject-wide or one record)."""
    return set(_active(moment).filter(subject__isnull=False).values_list("subject_id", flat=True))


def held_records(model, moment=None) -> set[str]:
    """Primary keys (as text) of ``model``'s rows under a record hold in force."""
    return set(_active(moment).filter(record_model=model._meta.label_lower)
               .values_list("record_pk", flat=True))


def describe(hold: LegalHold) -> str:
    """A line for the erasure status: the reason and until when, no case details."""
    until = (f"until {hold.ends_at:%Y-%m-%d}" if hold.ends_at
             else "until it is released")
    return f"Paused by a legal hold ({hold.get_reason_display().lower()}), {until}."
