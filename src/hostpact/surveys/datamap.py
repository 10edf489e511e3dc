"""Data-map declarations of the surveys app.

Surveys, questions, reviews and published changes are what staff wrote: nobody's data. An
invitation is the invitee's (that they were invited, to which address, answered or not) and is
deleted at erasure. Responses and answers are anonymous: no time, no origin, no link; a free-text
answer is kept as typed but is declared not personal because nothing ties it to anyone, and it
is withheld from results until staff approve it. A response whose participant asked to be
contacted names them and keeps their address and name encrypted for one use only, the
follow-up (C20); erasure removes that link and those copies, and the answers become anonymous.
"""

from hostpact.privacy import registry, subject_data
from hostpact.privacy.registry import Erasure, declare, not_personal, personal
from hostpact.surveys.models import (
    Answer,
    Change,
    Invitation,
    Question,
    Response,
    Survey,
    TextReview,
)

FOLLOWUP = "functional.service.improve.survey_followup"
INVITE = "functional.service.improve"
_staff = "written by staff; no subscriber's data"
_anon = "anonymous: no link to anyone, no time, no origin"

declare(
    Survey,
    id=not_personal(), title=not_personal(_staff), introduction=not_personal(_staff),
    state=not_personal(), provider=not_personal("the survey provider recipient, if any"),
    segment=not_personal("the rules staff chose; no one's data"),
    created_by=not_personal("a staff member's id"), created_at=not_personal(),
    invited_at=not_personal(), closed_at=not_personal(), reminder_sent_at=not_personal(),
)
declare(
    Question,
    id=not_personal(), survey=not_personal(), order=not_personal(), kind=not_personal(),
    text=not_personal(_staff), choices=not_personal(_staff), scale_min=not_personal(),
    scale_max=not_personal(),
)
_invited = dict(purposes=(INVITE,), retention="account", erasure=Erasure.DELETE)
declare(
    Invitation,
    id=not_personal(), survey=not_personal(), subject=not_personal(),
    token_hash=not_personal("a hash of a random token; the token itself is only in the mail"),
    reminder_hash=not_personal("a hash of the reminder's random token"),
    sent_to=personal("user.contact.email", label="Survey invitation sent to", **_invited),
    sent_at=personal("user.behavior", label="Survey invitation sent at", **_invited),
    reminded=personal("user.behavior", label="Survey reminder sent", **_invited),
    answered=personal("user.behavior", label="Survey answered (not when, not what)",
                      **_invited),
)
_followup = dict(purposes=(FOLLOWUP,), retention="account", erasure=Erasure.DELETE)
declare(
    Response,
    id=not_personal("a random UUID, so ids reveal no order"), survey=not_personal(),
    subject=not_personal("set only when the participant asked to be contacted"),
    contact_email=personal("user.contact.email", label="Survey follow-up address",
                           **_followup),
    contact_name=personal("user.name", label="Survey follow-up name", **_followup),
)
declare(
    Answer,
    id=not_personal("a random UUID"), response=not_personal(), question=not_personal(),
    values=not_personal(_anon), scale=not_personal(_anon),
    text=not_personal(_anon + "; withheld from results until staff approve it"),
)
declare(TextReview, id=not_personal(), answer=not_personal(), decision=not_personal(),
        reviewed_by=not_personal("a staff member's id"))
declare(Change, id=not_personal(), survey=not_personal(), text=not_personal(_staff),
        published_by=not_personal("a staff member's id"), published_at=not_personal())

registry.section(Invitation, "Survey invitations", order=96)
registry.section(Response, "Survey answers you let us follow up", order=97)
registry.back_office("surveys", roles=("marketing", "compliance"))


def _answer_text(answer) -> str:
    if answer.scale is not None:
        return str(answer.scale)
    return answer.text or ", ".join(answer.values)


@subject_data.presenter(Response, "contact_email", exported=True)
def _show_response(row, value) -> str:
    """The address with the survey and the answers it sits beside."""
    answers = "; ".join(f"{a.question.text}: {_answer_text(a)}" for a in
                        row.answers.select_related("question").order_by("question__order"))
    return f"{value}, for “{row.survey.title}”: {answers or 'no answer'}"


@registry.erasure_step("surveys.contact")
def _forget_contact(ctx) -> None:
    """Unlink the subscriber's contact-consented responses (their answers stay, anonymous) and
    delete their invitations."""
    unlinked = Response.objects.filter(subject_id=ctx.subject_id).update(
        subject=None, contact_email=None, contact_name=None)
    deleted = Invitation.objects.filter(subject_id=ctx.subject_id).delete()[0]
    ctx.add("survey_contacts_removed", unlinked)
    ctx.add("survey_invitations_deleted", deleted)
    ctx.fields.extend(["contact_email", "contact_name"])
