"""Invitations and answers: voluntary, stored apart from identity, once per invitation."""

import pytest
from django.db import connection
from django.urls import reverse

from hostpact.core.models import OutboxMessage
from hostpact.marketing import services as marketing
from hostpact.surveys import answering, services
from hostpact.surveys.models import Answer, Invitation, Response
from hostpact.surveys.tests.helpers import invitee, post_data, survey, tokens
from hostpact.testing.factories import make_subscriber

pytestmark = pytest.mark.django_db


@pytest.mark.commitment("C14")
def test_invitation_says_participation_is_voluntary_and_goes_only_to_the_list(db):
    """The invitation says taking part is voluntary and nothing changes without an answer;
    a subscriber who left the survey list is not invited."""
    on, off = invitee(), make_subscriber()
    marketing.set_subscription(off.subject_id, "surveys", False, method="panel",
                               actor="system:test")
    s = survey()
    assert services.send_invitations(s.pk, actor="staff:1") == 1
    message = OutboxMessage.objects.get(category="surveys")
    assert message.subject_id == on.subject_id
    assert "voluntary" in message.body and "Nothing changes for you" in message.body
    assert not Invitation.objects.filter(subject_id=off.subject_id).exists()
    invitation = Invitation.objects.get(subject_id=on.subject_id)
    assert invitation.token_hash != tokens()[0] and len(invitation.token_hash) == 64


@pytest.mark.commitment("C14")
def test_an_answer_is_stored_without_link_time_or_origin(client):
    """The stored response has a random UUID, no time, IP, user agent or link to the
    invitation or subscriber; the invitation only says it was answered."""
    user = invitee()
    s = survey()
    services.send_invitations(s.pk, actor="staff:1")
    url = reverse("surveys:answer", args=[tokens()[0]])
    response = client.post(url, post_data(s, text="Faster support"), REMOTE_ADDR="203.0.113.9",
                           HTTP_USER_AGENT="TestAgent/1.0")
    assert response.status_code == 200 and b"Thank you" in response.content
    row = Response.objects.get()
    assert row.subject_id is None and row.contact_email is None
    for model in (Response, Answer):
        columns = [c.name for c in connection.introspection.get_table_description(
            connection.cursor(), model._meta.db_table)]
        assert not [c for c in columns if any(w in c for w in
                                              ("time", "_at", "ip", "agent", "invitation",
                                               "subject_id", "created"))
                    and c != "subject_id"], columns
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Response._meta.db_table}")  # noqa: S608 - test
        values = [str(v) for row_ in cursor.fetchall() for v in row_]
    assert "203.0.113.9" not in values and str(user.subject_id) not in values
    assert Invitation.objects.get().answered is True
    assert sorted(a.question.kind for a in Answer.objects.all()) == ["multiple", "scale",
                                                                     "single", "text"]


@pytest.mark.commitment("C14")
def test_a_second_answer_through_one_invitation_is_refused(client):
    """Answering twice through the same invitation is refused: one response stays."""
    invitee()
    s = survey()
    services.send_invitations(s.pk, actor="staff:1")
    url = reverse("surveys:answer", args=[tokens()[0]])
    client.post(url, post_data(s))
    again = client.post(url, post_data(s, single="Pro"))
    assert b"already answered" in again.content
    assert Response.objects.count() == 1
    with pytest.raises(answering.AnswerRefused, match="already answered"):
        answering.store(Invitation.objects.get().pk, {}, contact_ok=False)


@pytest.mark.commitment("C14")
def test_an_answer_outside_the_choices_is_refused_and_nothing_stored(client):
    """A choice not offered is refused with a message naming the question; nothing is stored
    and the invitation stays unanswered."""
    invitee()
    s = survey()
    services.send_invitations(s.pk, actor="staff:1")
    url = reverse("surveys:answer", args=[tokens()[0]])
    response = client.post(url, post_data(s, single="Enterprise"))
    assert response.status_code == 400
    assert "Which plan?" in response.content.decode()
    bad_scale = client.post(url, post_data(s, scale="9"))
    assert bad_scale.status_code == 400 and "How happy are you?" in bad_scale.content.decode()
    assert Response.objects.count() == 0 and Answer.objects.count() == 0
    assert Invitation.objects.get().answered is False


@pytest.mark.commitment("C14")
def test_not_answering_changes_nothing_and_every_question_may_be_skipped(client):
    """A non-answerer's invitation stays as sent; an empty answer is accepted."""
    first, second = invitee(), invitee()
    s = survey()
    services.send_invitations(s.pk, actor="staff:1")
    client.post(reverse("surveys:answer", args=[tokens(first.subject_id)[0]]), {})
    untouched = Invitation.objects.get(subject_id=second.subject_id)
    assert untouched.answered is False and untouched.reminded is False
    assert Response.objects.count() == 1 and Answer.objects.count() == 0


@pytest.mark.commitment("C14")
def test_one_reminder_only_to_those_who_did_not_answer(client):
    """The reminder goes to non-answerers once, with a working link; a second is refused."""
    answered, waiting = invitee(), invitee()
    s = survey()
    services.send_invitations(s.pk, actor="staff:1")
    client.post(reverse("surveys:answer", args=[tokens(answered.subject_id)[0]]), post_data(s))
    assert services.send_reminder(s.pk, actor="staff:1") == 1
    with pytest.raises(services.SurveyRefused, match="reminder"):
        services.send_reminder(s.pk, actor="staff:1")
    reminder = tokens(waiting.subject_id)[-1]
    assert len(tokens(answered.subject_id)) == 1
    ok = client.post(reverse("surveys:answer", args=[reminder]), post_data(s))
    assert b"Thank you" in ok.content


def test_an_unknown_link_answers_404(client):
    """A token that names no invitation answers 404."""
    assert client.get(reverse("surveys:answer", args=["nope"])).status_code == 404


def test_the_back_office_invites_in_a_task_a_chunk_at_a_time_and_resumes(client):
    """"Send the invitations" opens the survey and leaves the inviting to a task; the task
    invites the segment a chunk per transaction, and run again it invites no one twice."""
    from hostpact.surveys import tasks
    from hostpact.surveys.models import Survey
    from hostpact.testing.factories import make_staff

    people = [invitee() for _ in range(3)]
    s = survey()
    client.force_login(make_staff(groups=("marketing",)))
    page = client.post(reverse("surveys:staff_detail", args=[s.pk]), {"action": "invite"},
                       follow=True)
    assert "being queued in the background" in page.content.decode()
    assert Survey.objects.get(pk=s.pk).state == Survey.State.INVITING
    assert not Invitation.objects.exists()  # nothing yet: the task does it
    Invitation.objects.bulk_create([Invitation(survey=s, subject_id=people[0].subject_id,
                                               token_hash="a" * 64, sent_to="x@example.test")])
    assert services.invite_pending(s.pk, chunk=1) == 2  # the first was invited before a crash
    assert tasks.invite_survey.call(s.pk) == 0
    assert Invitation.objects.count() == 3
    assert OutboxMessage.objects.filter(category="surveys").count() == 2


@pytest.mark.commitment("C14")
def test_an_objection_to_survey_mail_takes_the_subscriber_off_the_survey_list(db):
    """A verified objection to the improvement use leaves the surveys list (the list another
    app registered, handled like marketing's own), so the next survey does not invite them."""
    from hostpact.privacy.objections import handle_objection

    user = invitee()
    assert "functional.service.improve" in handle_objection(
        user.subject_id, "functional.service.improve", "staff:1")
    assert services.send_invitations(survey().pk, actor="staff:1") == 0
    assert not Invitation.objects.filter(subject_id=user.subject_id).exists()
