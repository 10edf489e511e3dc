"""Writes of the surveys app for staff: surveys, questions, invitations, the reminder, closing,
the provider's file and "you said, we did".

Every function runs in one transaction and writes its audit event; bad input raises
``SurveyRefused`` naming the field and changes nothing. Invitations carry a random token whose
hash alone is stored; the token exists only in the mail (or the provider's file).
"""

import csv
import hashlib
import io
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from hostpact.accounts.models import User
from hostpact.campaigns import segments
from hostpact.core import audit, clock, mail
from hostpact.privacy import disclose, purposes
from hostpact.privacy.disclosures.models import Recipient
from hostpact.privacy.disclosures.services import DisclosureRefused
from hostpact.surveys.models import Change, Invitation, Question, Response, Survey

LIST_KEY = "surveys"
FOLLOWUP_CATEGORY = "survey_followup"
BULK = 5000
CHUNK = 2000  # invitations queued per transaction
VOLUNTARY = ("Taking part is voluntary: answer any questions you like, or none. Nothing changes "
             "for you if you do not answer.")


class SurveyRefused(ValueError):
    """A survey change was refused; ``field`` names the part at fault. Nothing changed."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def hash_token(token: str) -> str:
    """Return the stored form of an invitation token."""
    return hashlib.sha256(token.encode()).hexdigest()


def answer_url(token: str) -> str:
    """Return the absolute URL of the answer page for ``token``."""
    return settings.SITE_URL.rstrip("/") + reverse("surveys:answer", args=[token])


def _ref(survey) -> str:
    return f"survey:{survey.pk}"


def _locked(survey_id) -> Survey:
    try:
        return Survey.objects.select_for_update().get(pk=survey_id)
    except (Survey.DoesNotExist, ValueError):
        raise SurveyRefused(f"There is no survey {survey_id}.", "survey") from None


def _clean(title: str, introduction: str, segment, provider: str) -> dict:
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise SurveyRefused("Give the survey a title of at most 200 characters.", "title")
    try:
        segment = segments.clean_segment(segment)
    except segments.SegmentInvalid as exc:
        raise SurveyRefused(str(exc), exc.field) from None
    found = None
    if provider:
        found = Recipient.objects.filter(slug=provider, active=True,
                                         kind=Recipient.Kind.SERVICE_PROVIDER,
                                         role=Recipient.Role.SURVEY).first()
        if found is None:
            raise SurveyRefused("The provider must be an active survey service provider.",
                                "provider")
    return {"title": title, "introduction": (introduction or "").strip(), "segment": segment,
            "provider": found}


def create_survey(*, title: str, introduction: str = "", segment=None, provider: str = "",
                  actor: str) -> Survey:
    """Create a draft survey (``provider``: a survey provider's slug, or empty)."""
    values = _clean(title, introduction, segment, provider)
    with transaction.atomic():
        survey = Survey.objects.create(**values, created_by=actor[:64], created_at=clock.now())
        audit.record(actor, "survey.create", None, sorted(values), _ref(survey))
    return survey


def update_survey(survey_id, *, title: str, introduction: str = "", segment=None,
                  provider: str = "", actor: str) -> Survey:
    """Change a draft survey's title, introduction, segment and provider."""
    values = _clean(title, introduction, segment, provider)
    with transaction.atomic():
        survey = _draft(survey_id)
        for key, value in values.items():
            setattr(survey, key, value)
        survey.save(update_fields=list(values))
        audit.record(actor, "survey.update", None, sorted(values), _ref(survey))
    return survey


def _draft(survey_id) -> Survey:
    survey = _locked(survey_id)
    if survey.state != Survey.State.DRAFT:
        raise SurveyRefused(f"A survey that is {survey.state} can no longer be changed.",
                            "state")
    return survey


def add_question(survey_id, *, kind: str, text: str, choices=(), scale_min: int = 1,
                 scale_max: int = 5, actor: str) -> Question:
    """Add a question at the end of a draft survey."""
    text = (text or "").strip()
    if kind not in Question.Kind.values:
        raise SurveyRefused(f"Choose a kind: {', '.join(Question.Kind.values)}.", "kind")
    if not text or len(text) > 300:
        raise SurveyRefused("Write the question (at most 300 characters).", "text")
    choices = [c.strip() for c in choices if c and c.strip()]
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        if len(choices) < 2 or len(set(choices)) != len(choices):
            raise SurveyRefused("A choice question needs at least two different choices.",
                                "choices")
    else:
        choices = []
    if kind == Question.Kind.SCALE and not scale_min < scale_max <= scale_min + 10:
        raise SurveyRefused("A scale runs from its minimum to a larger maximum (at most 10 "
                            "steps).", "scale_max")
    with transaction.atomic():
        survey = _draft(survey_id)
        order = survey.questions.count() + 1
        question = Question.objects.create(survey=survey, order=order, kind=kind, text=text,
                                           choices=choices, scale_min=scale_min,
                                           scale_max=scale_max)
        audit.record(actor, "survey.question.add", None, ["text"], _ref(survey))
    return question


def reach(survey: Survey) -> list:
    """Return the subject ids the survey's segment reaches now (who may get survey mail)."""
    return segments.eligible(LIST_KEY, segments.candidates(segments.clean_segment(
        survey.segment)))


def _addresses(subject_ids: list) -> dict:
    found = {}
    for start in range(0, len(subject_ids), BULK):
        found.update(User.objects.filter(subject_id__in=subject_ids[start:start + BULK])
                     .values_list("subject_id", "email"))
    return found


def _mail(survey: Survey, token: str, reminder: bool) -> tuple[str, str]:
    subject = f"{'Reminder: ' if reminder else ''}A short survey: {survey.title}"
    body = (f"{survey.introduction}\n\n{VOLUNTARY}\n\nYour answers are stored apart from your "
            "name and address, without the time you answered. We contact you about them only "
            f"if you tick the box that allows it.\n\nAnswer here: {answer_url(token)}\n")
    return subject, body


def _create_invitations(survey: Survey, subject_ids: list) -> list[tuple]:
    """Insert one invitation per subject; return (subject id, address, token) triples."""
    now, out = clock.now(), []
    addresses = _addresses(subject_ids)
    rows = []
    for sid in subject_ids:
        if not addresses.get(sid):
            continue
        token = secrets.token_urlsafe(24)
        rows.append(Invitation(survey=survey, subject_id=sid, token_hash=hash_token(token),
                               sent_to=addresses[sid], sent_at=now))
        out.append((sid, addresses[sid], token))
    Invitation.objects.bulk_create(rows, batch_size=BULK)
    return out


def start_invitations(survey_id, *, actor: str) -> Survey:
    """Open a draft survey we run ourselves for answers; ``invite_pending`` then invites its
    segment."""
    with transaction.atomic():
        survey = _draft(survey_id)
        if survey.provider_id:
            raise SurveyRefused("This survey is run by a provider: download its invitation "
                                "file instead.", "provider")
        if not survey.questions.exists():
            raise SurveyRefused("Add at least one question first.", "questions")
        _start(survey, actor)
    return survey


def invite_pending(survey_id, *, chunk: int = CHUNK) -> int:
    """Invite everyone the open survey's segment reaches who has no invitation yet, a chunk
    per transaction (each chunk's invitations and their mail together, so the write lock is
    held briefly); return how many. Run again after a crash, it carries on where it stopped."""
    survey = Survey.objects.filter(pk=survey_id, state=Survey.State.INVITING,
                                   provider__isnull=True).first()
    if survey is None:
        return 0
    invited = set(Invitation.objects.filter(survey=survey).values_list("subject_id", flat=True))
    pending = [sid for sid in reach(survey) if sid not in invited]
    total = 0
    for start in range(0, len(pending), chunk):
        with transaction.atomic():
            made = _create_invitations(survey, pending[start:start + chunk])
            items = []
            for sid, address, token in made:
                line, body = _mail(survey, token, False)
                items.append({"subject_id": sid, "to": address, "subject_line": line,
                              "body": body})
            _queue(items, LIST_KEY)
        total += len(made)
    return total


def send_invitations(survey_id, *, actor: str) -> int:
    """Open the survey and invite its whole segment now; return how many were invited (the
    back office does the inviting in a task, ``tasks.invite_survey``)."""
    start_invitations(survey_id, actor=actor)
    return invite_pending(survey_id)


def _queue(items: list, category: str) -> None:
    try:
        mail.queue_many(items, category)
    except purposes.PurposeNotAllowed as exc:  # someone opted out since they were counted
        raise SurveyRefused(f"Nothing was sent: {exc}. Try again.", "mail") from None


def _start(survey: Survey, actor: str, count: int | None = None) -> None:
    survey.state, survey.invited_at = Survey.State.INVITING, clock.now()
    survey.save(update_fields=["state", "invited_at"])
    audit.record(actor, "survey.invite", None, [],
                 _ref(survey) if count is None else f"{_ref(survey)}:{count}")


def provider_file(survey_id, *, actor: str) -> bytes:
    """Disclose the invitees' addresses to the survey's provider through the gate and return
    the invitation file (CSV: email, link). Refused by the gate: nothing is created."""
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None or survey.state != Survey.State.DRAFT:
        raise SurveyRefused("Only a draft survey hands its invitations to a provider.", "state")
    if not survey.provider_id:
        raise SurveyRefused("This survey has no provider.", "provider")
    if not survey.questions.exists():
        raise SurveyRefused("Add at least one question first.", "questions")
    ids = reach(survey)
    try:  # outside our transaction, so that the gate's record of a refusal stays
        disclose(survey.provider, ids, ["user.contact.email"], "functional.service.improve",
                 "", actor=actor, reference=_ref(survey))
    except DisclosureRefused as exc:
        raise SurveyRefused(f"The disclosure gate refused: {exc}", "provider") from None
    with transaction.atomic():
        survey = _draft(survey_id)
        made = _create_invitations(survey, ids)
        _start(survey, actor, len(made))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "link", "token"])
    for _sid, address, token in made:
        writer.writerow([address, answer_url(token), token])
    return out.getvalue().encode()


def send_reminder(survey_id, *, actor: str) -> int:
    """Remind the invitees who have not answered, once; return how many were reminded. The
    reminder carries a second link (its hash stored beside the first): both work."""
    with transaction.atomic():
        survey = _locked(survey_id)
        if survey.state != Survey.State.INVITING:
            raise SurveyRefused("Only a survey that is inviting can send a reminder.", "state")
        if survey.reminder_sent_at is not None or survey.provider_id:
            raise SurveyRefused("The one reminder was already sent (or the provider sends "
                                "them).", "reminder")
        pending = list(survey.invitations.filter(answered=False, reminded=False))
        allowed = {str(s) for s in segments.eligible(LIST_KEY, [i.subject_id for i in pending])}
        items, reminded = [], []
        for inv in pending:
            if str(inv.subject_id) not in allowed:
                continue
            token = secrets.token_urlsafe(24)
            inv.reminder_hash, inv.reminded = hash_token(token), True
            line, body = _mail(survey, token, True)
            items.append({"subject_id": inv.subject_id, "to": inv.sent_to,
                          "subject_line": line, "body": body})
            reminded.append(inv)
        Invitation.objects.bulk_update(reminded, ["reminder_hash", "reminded"], batch_size=BULK)
        _queue(items, LIST_KEY)
        survey.reminder_sent_at = clock.now()
        survey.save(update_fields=["reminder_sent_at"])
        audit.record(actor, "survey.remind", None, [], f"{_ref(survey)}:{len(items)}")
    return len(items)


def close_survey(survey_id, *, actor: str) -> Survey:
    """Close a survey: no more answers are taken."""
    with transaction.atomic():
        survey = _locked(survey_id)
        if survey.state == Survey.State.CLOSED:
            raise SurveyRefused("The survey is already closed.", "state")
        survey.state, survey.closed_at = Survey.State.CLOSED, clock.now()
        survey.save(update_fields=["state", "closed_at"])
        audit.record(actor, "survey.close", None, ["state"], _ref(survey))
    return survey


def _may_follow_up(subject_id) -> bool:
    try:
        purposes.check_mail(subject_id, FOLLOWUP_CATEGORY)
    except purposes.PurposeNotAllowed:  # they objected to the follow-up since
        return False
    return True


def publish_change(survey_id, text: str, *, actor: str) -> tuple[Change, int]:
    """Publish what changed in response; mail it to the participants who asked to be contacted
    (and only them: category ``survey_followup``); return the change and how many were mailed."""
    text = (text or "").strip()
    if not text:
        raise SurveyRefused("Write what changed.", "text")
    with transaction.atomic():
        survey = _locked(survey_id)
        if survey.state == Survey.State.DRAFT:
            raise SurveyRefused("A draft survey has no answers to respond to.", "state")
        change = Change.objects.create(survey=survey, text=text, published_by=actor[:64],
                                       published_at=clock.now())
        items = [{"subject_id": r.subject_id, "to": r.contact_email,
                  "subject_line": f"You said, we did: {survey.title}",
                  "body": f"You asked us to keep you posted about your answers to "
                          f"“{survey.title}”. Here is what we changed:\n\n{text}\n"}
                 for r in Response.objects.filter(survey=survey, subject__isnull=False)
                 if r.contact_email and _may_follow_up(r.subject_id)]
        _queue(items, FOLLOWUP_CATEGORY)
        audit.record(actor, "survey.change", None, ["text"], f"{_ref(survey)}:{len(items)}")
    return change, len(items)
