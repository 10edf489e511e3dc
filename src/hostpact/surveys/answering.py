"""Taking answers: checking them against the questions and storing them apart from identity.

``store`` marks the invitation answered and inserts the response in one transaction; the
response gets a random UUID, no time, no origin and no link to the invitation, so who answered
what cannot be recovered from the rows. Only a participant who ticked "you may contact me"
is named on their response, with their address and name encrypted, for the follow-up (C20).
What still orders rows (the database's physical order, the audit ledger's sequence) is written
down in the docs. A provider's answers come back by ``import_file``: every row is checked first
and a file with one bad row stores nothing.
"""

import csv
import io
import json
import secrets

from django.db import transaction

from hostpact.accounts.models import Profile, User
from hostpact.core import audit
from hostpact.surveys.models import Answer, Invitation, Question, Response, Survey
from hostpact.surveys.services import hash_token

TEXT_MAX = 2000


class AnswerRefused(ValueError):
    """Answers were refused; ``field`` names the question (``q<id>``). Nothing was stored."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def invitation_for(token: str) -> Invitation | None:
    """Return the invitation whose (first or reminder) token is ``token``, or None."""
    if not token or len(token) > 100:
        return None
    digest = hash_token(token)
    return (Invitation.objects.select_related("survey").filter(token_hash=digest).first()
            or Invitation.objects.select_related("survey").filter(reminder_hash=digest).first())


def _one(question: Question, raw):
    """Return the checked answer to ``question`` (None: skipped)."""
    name = f"“{question.text}”"
    values = raw if isinstance(raw, list) else ([] if raw in (None, "") else [raw])
    values = [str(v).strip() for v in values if str(v).strip()]
    if not values:
        return None
    if question.kind == Question.Kind.TEXT:
        text = "\n".join(values)
        if len(text) > TEXT_MAX:
            raise AnswerRefused(f"{name}: at most {TEXT_MAX} characters.", f"q{question.pk}")
        return {"text": text}
    if question.kind == Question.Kind.SCALE:
        try:
            number = int(values[0])
        except ValueError:
            number = None
        if len(values) != 1 or number is None or not (
                question.scale_min <= number <= question.scale_max):
            raise AnswerRefused(f"{name}: choose a number from {question.scale_min} to "
                                f"{question.scale_max}.", f"q{question.pk}")
        return {"scale": number}
    outside = [v for v in values if v not in question.choices]
    if outside or (question.kind == Question.Kind.SINGLE and len(values) > 1):
        raise AnswerRefused(f"{name}: choose {'one' if question.kind == 'single' else 'any'} "
                            f"of the choices offered ({', '.join(question.choices)}).",
                            f"q{question.pk}")
    return {"values": list(dict.fromkeys(values))}


def check_answers(survey: Survey, data: dict) -> list[tuple[Question, dict]]:
    """Return the given answers checked, keyed by question; raise ``AnswerRefused`` naming the
    first question at fault. ``data`` maps ``str(question id)`` to a value or a list."""
    questions = list(survey.questions.all())
    known = {str(q.pk) for q in questions}
    unknown = sorted(set(map(str, data)) - known)
    if unknown:
        raise AnswerRefused(f"This survey has no question {unknown[0]}.", None)
    out = []
    for question in questions:
        checked = _one(question, data.get(str(question.pk)))
        if checked is not None:
            out.append((question, checked))
    return out


def _contact(subject_id) -> tuple[str, str]:
    email = User.objects.filter(subject_id=subject_id).values_list("email", flat=True).first()
    name = Profile.objects.filter(subject_id=subject_id).values_list("name", flat=True).first()
    return email or "", name or ""


def _insert(survey: Survey, checked: list, subject) -> None:
    response = Response(survey=survey)
    if subject is not None:
        email, name = _contact(subject)
        response.subject_id = subject
        response.contact_email, response.contact_name = email, name or None
    response.save(force_insert=True)
    Answer.objects.bulk_create([Answer(response=response, question=q, **values)
                                for q, values in checked])


def store(invitation_id: int, data: dict, *, contact_ok: bool) -> None:
    """Check and store one participant's answers; refuse a second answer and a closed survey."""
    with transaction.atomic():
        # Not the address: decrypting it would unwrap the invitee's key for nothing.
        inv = (Invitation.objects.select_for_update().select_related("survey")
               .only("survey", "subject_id", "answered").filter(pk=invitation_id).first())
        if inv is None:
            raise AnswerRefused("This invitation does not exist.")
        survey = inv.survey
        if inv.answered:
            raise AnswerRefused("You have already answered this survey: thank you.")
        if survey.state != Survey.State.INVITING:
            raise AnswerRefused("This survey is closed: it takes no more answers.")
        checked = check_answers(survey, data)
        inv.answered = True
        inv.save(update_fields=["answered"])
        _insert(survey, checked, inv.subject_id if contact_ok else None)
        # Nobody named: the ledger says a survey got an answer, not whose.
        audit.record("anonymous", "survey.answer", None, [], f"survey:{survey.pk}")


def _rows(content: bytes, filename: str) -> list[dict]:
    text = content.decode("utf-8-sig")
    if filename.lower().endswith(".json"):
        rows = json.loads(text)
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ValueError("a JSON file holds a list of objects")
        return rows
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        answers = {k[1:]: (v.split("|") if "|" in (v or "") else v)
                   for k, v in row.items() if k and k.startswith("q")}
        out.append({"token": row.get("token", ""), "contact_ok": row.get("contact_ok", ""),
                    "answers": answers})
    return out


def _yes(value) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "yes")


def import_file(survey_id, content: bytes, filename: str, *, actor: str) -> int:
    """Store a provider's answers (JSON list or CSV of token, contact_ok, answers); return how
    many. Every row is checked first; any bad row refuses the whole file, naming the rows."""
    try:
        rows = _rows(content, filename)
    except (UnicodeDecodeError, ValueError, csv.Error) as exc:
        raise AnswerRefused(f"The file could not be read: {exc}.", "file") from None
    with transaction.atomic():
        survey = Survey.objects.select_for_update().filter(pk=survey_id).first()
        if survey is None or not survey.provider_id:
            raise AnswerRefused("Only a provider's survey imports answers.", "file")
        if survey.state != Survey.State.INVITING:
            raise AnswerRefused("The survey is not taking answers.", "file")
        errors, ready, seen = [], [], set()
        for number, row in enumerate(rows, start=1):
            token = str(row.get("token") or "")
            inv = invitation_for(token)
            if inv is None or inv.survey_id != survey.pk:
                errors.append(f"row {number}: unknown token")
            elif inv.answered or inv.pk in seen:
                errors.append(f"row {number}: already answered")
            elif not isinstance(row.get("answers") or {}, dict):
                errors.append(f"row {number}: answers must be an object")
            else:
                try:
                    checked = check_answers(survey, row.get("answers") or {})
                except AnswerRefused as exc:
                    errors.append(f"row {number}: {exc}")
                else:
                    seen.add(inv.pk)
                    ready.append((inv, checked, _yes(row.get("contact_ok"))))
        if errors:
            raise AnswerRefused("Nothing was imported. " + "; ".join(errors[:20]), "file")
        Invitation.objects.filter(pk__in=[inv.pk for inv, _, _ in ready]).update(answered=True)
        # The file's order would say who answered what once matched with the provider's
        # invitation file, so the rows go in shuffled.
        secrets.SystemRandom().shuffle(ready)
        for inv, checked, contact_ok in ready:
            _insert(survey, checked, inv.subject_id if contact_ok else None)
        audit.record(actor, "survey.import", None, [], f"survey:{survey.pk}:{len(ready)}")
    return len(ready)
