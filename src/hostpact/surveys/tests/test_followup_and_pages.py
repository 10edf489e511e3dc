"""Follow-up only with consent (C20), the subscriber's pages, the back office and erasure."""

import pytest
from django.urls import reverse

from hostpact.campaigns import segments
from hostpact.core.models import OutboxMessage
from hostpact.privacy import registry, subject_data
from hostpact.privacy.rights.erasure import services as erasure
from hostpact.surveys import services
from hostpact.surveys.datamap import FOLLOWUP
from hostpact.surveys.models import Invitation, Response
from hostpact.surveys.tests.helpers import invitee, post_data, survey, tokens
from hostpact.testing.factories import make_staff
from hostpact.testing.pages import assert_labelled

pytestmark = pytest.mark.django_db


def _two_answers(client):
    keen, quiet = invitee(), invitee()
    s = survey()
    services.send_invitations(s.pk, actor="staff:1")
    client.post(reverse("surveys:answer", args=[tokens(keen.subject_id)[0]]),
                post_data(s, text="More regions", contact=True))
    client.post(reverse("surveys:answer", args=[tokens(quiet.subject_id)[0]]), post_data(s))
    client.logout()
    return s, keen, quiet


@pytest.mark.commitment("C20")
def test_you_said_we_did_mails_only_those_who_asked_to_be_contacted(client):
    """Publishing a change mails the participant who ticked the box, under the follow-up
    category, and nobody else."""
    s, keen, quiet = _two_answers(client)
    linked = Response.objects.get(subject__isnull=False)
    assert linked.subject_id == keen.subject_id and linked.contact_email == keen.email
    _change, mailed = services.publish_change(s.pk, "We opened a region in Mumbai.",
                                              actor="staff:1")
    assert mailed == 1
    followups = OutboxMessage.objects.filter(category="survey_followup")
    assert [m.subject_id for m in followups] == [keen.subject_id]
    assert "Mumbai" in followups[0].body
    assert not OutboxMessage.objects.filter(category="survey_followup",
                                            subject_id=quiet.subject_id).exists()


@pytest.mark.commitment("C20")
def test_contact_data_serves_only_the_follow_up(client):
    """The contact copies declare one purpose, the follow-up; marketing's audiences are the
    same whether or not someone asked to be contacted."""
    entry = registry.for_model(Response)
    for name in ("contact_email", "contact_name"):
        assert entry.personal_fields()[name].purposes == (FOLLOWUP,)
    keen, quiet = invitee(), invitee()
    ids = [keen.subject_id, quiet.subject_id]
    before = segments.eligible("promotions", ids), segments.eligible("newsletters", ids)
    s = survey()
    services.send_invitations(s.pk, actor="staff:1")
    client.post(reverse("surveys:answer", args=[tokens(keen.subject_id)[0]]),
                post_data(s, contact=True))
    assert Response.objects.filter(subject_id=keen.subject_id).exists()
    after = segments.eligible("promotions", ids), segments.eligible("newsletters", ids)
    assert after == before


def test_contact_consent_is_unticked_by_default_and_the_form_is_labelled(client):
    """The answer page groups each question in a fieldset and leaves the contact box empty."""
    invitee()
    s = survey()
    services.send_invitations(s.pk, actor="staff:1")
    html = client.get(reverse("surveys:answer", args=[tokens()[0]])).content.decode()
    assert html.count('<fieldset class="field') == 4 and "Follow-up</legend>" in html
    assert 'name="contact_ok" value="1">' in html
    assert "voluntary" in html
    assert_labelled(html)


@pytest.mark.commitment("C14")
def test_the_subscriber_page_lists_invitations_and_another_subscribers_survey_is_404(client):
    """An invitee sees their survey and may answer it from the panel; someone not invited
    gets 404 for it."""
    user = invitee()
    s = survey()
    services.send_invitations(s.pk, actor="staff:1")
    other = invitee()  # signed up after the invitations went
    client.force_login(user)
    page = client.get(reverse("surveys:mine")).content.decode()
    assert s.title in page and reverse("surveys:answer_mine", args=[s.pk]) in page
    assert client.post(reverse("surveys:answer_mine", args=[s.pk]),
                       post_data(s)).status_code == 200
    assert Invitation.objects.get().answered
    client.force_login(other)
    assert client.get(reverse("surveys:answer_mine", args=[s.pk])).status_code == 404


@pytest.mark.commitment("C20")
def test_contact_consented_answers_are_in_my_information_and_erasure_removes_the_contact(
        client):
    """The follow-up copy appears in the subject's data with the answers; erasure removes it
    and the invitation, and the answers stay anonymous."""
    s, keen, _quiet = _two_answers(client)
    texts = [item.value for item in subject_data.items_for(keen.subject_id)
             if getattr(item, "value", None) and "More regions" in str(item.value)]
    assert texts
    erasure.erase_subject(keen.subject_id, actor="system:test")
    assert not Response.objects.filter(subject__isnull=False).exists()
    assert Response.objects.count() == 2
    assert not Invitation.objects.filter(subject_id=keen.subject_id).exists()


def test_the_back_office_is_for_marketing_staff_and_bad_input_changes_nothing(client,
                                                                             subscriber):
    """Marketing staff build a survey and see its pages; a subscriber is sent to log in; a
    bad question is refused with a message and nothing is added."""
    client.force_login(subscriber)
    assert client.get(reverse("surveys:staff")).status_code == 302
    client.force_login(make_staff(groups=("marketing",)))
    created = client.post(reverse("surveys:staff"), {"title": "Q4 survey"})
    s = services.Survey.objects.get()
    assert created.status_code == 302
    bad = client.post(reverse("surveys:staff_detail", args=[s.pk]),
                      {"action": "question", "kind": "single", "text": "Which?",
                       "choices": "Only one"})
    assert bad.status_code == 400 and "two different choices" in bad.content.decode()
    assert not s.questions.exists()
    page = client.get(reverse("surveys:staff_detail", args=[s.pk])).content.decode()
    assert_labelled(page)
    assert client.get(reverse("surveys:staff_results", args=[s.pk])).status_code == 200
