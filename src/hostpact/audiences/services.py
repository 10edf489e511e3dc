"""Writes of the audiences app: a subscriber's optional answers, saved or cleared in one go.

Every answer is optional and "Prefer not to say" (the empty value) is never stored; a subscriber
whose answers are all empty has no row at all. Values are checked against the vocabulary in
``questions`` here as well as in the form, so no caller stores a value outside the choices.
"""

from django.db import transaction

from hostpact.audiences import questions
from hostpact.audiences.models import Answers
from hostpact.core import audit


class AnswersInvalid(ValueError):
    """An answer is not one of its question's choices; ``field`` names the question."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _many(name: str, value) -> str:
    values = value.split(",") if isinstance(value, str) else list(value or ())
    values = sorted({str(v).strip() for v in values} - {""})
    allowed = dict(questions.MULTIPLE[name])
    wrong = [v for v in values if v not in allowed]
    if wrong:
        raise AnswersInvalid(name, f"{name}: {wrong[0]!r} is not one of the choices.")
    return ",".join(values)


def clean_answers(data: dict) -> dict:
    """Return ``data`` as the stored texts (every question present, "" for none); raise
    ``AnswersInvalid`` naming the first question whose answer is not a choice."""
    unknown = sorted(set(data) - set(questions.FIELDS))
    if unknown:
        raise AnswersInvalid(unknown[0], f"{unknown[0]}: there is no such question.")
    out = {}
    for name, choices in questions.SINGLE.items():
        value = str(data.get(name) or "").strip()
        if value and value not in dict(choices):
            raise AnswersInvalid(name, f"{name}: {value!r} is not one of the choices.")
        out[name] = value
    for name in questions.MULTIPLE:
        out[name] = _many(name, data.get(name))
    for name, most in questions.FREE_TEXT.items():
        value = str(data.get(name) or "").strip()
        if len(value) > most:
            raise AnswersInvalid(name, f"{name}: at most {most} characters, please.")
        out[name] = value
    return out


@transaction.atomic
def save_answers(user, data: dict, *, actor: str) -> Answers | None:
    """Store ``user``'s answers (form field names; all optional) in place of the earlier ones;
    return the row, or None when every answer is "Prefer not to say" (nothing is stored)."""
    clean = clean_answers(data)
    given = sorted(name for name, value in clean.items() if value)
    if not given:
        Answers.objects.filter(subject_id=user.subject_id).delete()
        audit.record(actor, "audiences.answers_saved", subject_id=user.subject_id)
        return None
    row = Answers.objects.filter(subject_id=user.subject_id).first() or Answers(
        user=user, subject_id=user.subject_id)
    for name, value in clean.items():
        setattr(row, name, value or None)
    row.save()
    audit.record(actor, "audiences.answers_saved", subject_id=user.subject_id, fields=given)
    return row


@transaction.atomic
def clear_answers(user, *, actor: str) -> int:
    """Delete every answer ``user`` gave; return how many rows went (0 or 1)."""
    deleted, _ = Answers.objects.filter(subject_id=user.subject_id).delete()
    audit.record(actor, "audiences.answers_cleared", subject_id=user.subject_id)
    return deleted
