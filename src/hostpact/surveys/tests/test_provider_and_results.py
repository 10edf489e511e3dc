"""A provider's survey passes only through the gate; results are suppressed aggregates."""

import csv
import io
import json

import pytest
from django.urls import reverse

from hostpact.core import clock
from hostpact.privacy.aggregates import SURVEY
from hostpact.privacy.disclosures.models import Disclosure, Recipient
from hostpact.surveys import answering, results, services
from hostpact.surveys.models import Answer, Invitation, Response
from hostpact.surveys.tests.helpers import invitee, post_data, survey, tokens
from hostpact.testing.factories import make_staff

pytestmark = pytest.mark.django_db


def _file(s) -> list[dict]:
    return list(csv.DictReader(io.StringIO(services.provider_file(s.pk, actor="staff:1")
                                           .decode())))


@pytest.mark.commitment("C14")
def test_a_provider_gets_invitations_only_through_the_gate(db):
    """The invitation file is produced after the gate recorded the disclosure; no mail is
    sent by us for a provider's survey."""
    people = [invitee() for _ in range(2)]
    s = survey(provider="survey-provider")
    rows = _file(s)
    assert sorted(r["email"] for r in rows) == sorted(p.email for p in people)
    assert Disclosure.objects.filter(recipient__slug="survey-provider").exists()
    assert tokens() == []
    with pytest.raises(services.SurveyRefused):
        services.send_invitations(s.pk, actor="staff:1")


@pytest.mark.commitment("C14")
def test_a_provider_without_confidentiality_agreement_is_refused(db):
    """A survey provider without an agreement is refused by the gate; no file, no invitation."""
    invitee()
    Recipient.objects.create(slug="bare-surveys", name="Bare", kind="service_provider",
                             role="survey", allowed_categories=["user.contact.email"],
                             allowed_purposes=["functional.service.improve"],
                             created_at=clock.now())
    s = survey(provider="bare-surveys")
    with pytest.raises(services.SurveyRefused, match="gate refused"):
        services.provider_file(s.pk, actor="staff:1")
    assert Invitation.objects.count() == 0
    s.refresh_from_db()
    assert s.state == "draft"


@pytest.mark.commitment("C14")
def test_the_providers_answers_import_dropping_the_link_and_a_bad_file_stores_nothing(db):
    """Imported answers are stored like our own, without a link; a file with one bad row is
    refused naming the row, and nothing from it is stored."""
    invitee(), invitee()
    s = survey(provider="survey-provider")
    rows = _file(s)
    single = s.questions.get(kind="single").pk
    bad = [{"token": rows[0]["token"], "answers": {str(single): "Basic"}},
           {"token": rows[1]["token"], "answers": {str(single): "Gold"}}]
    with pytest.raises(answering.AnswerRefused, match="row 2"):
        answering.import_file(s.pk, json.dumps(bad).encode(), "a.json", actor="staff:1")
    assert Response.objects.count() == 0 and not Invitation.objects.filter(answered=True)
    good = [{"token": r["token"], "answers": {str(single): "Pro"}, "contact_ok": False}
            for r in rows]
    assert answering.import_file(s.pk, json.dumps(good).encode(), "a.json",
                                 actor="staff:1") == 2
    assert Invitation.objects.filter(answered=True).count() == 2
    assert not Response.objects.filter(subject__isnull=False).exists()
    with pytest.raises(answering.AnswerRefused, match="already answered"):
        answering.import_file(s.pk, json.dumps(good).encode(), "a.json", actor="staff:1")


def _answered(count: int, client, **answer):
    s = survey()
    people = [invitee() for _ in range(count)]
    services.send_invitations(s.pk, actor="staff:1")
    for person in people:
        client.post(reverse("surveys:answer", args=[tokens(person.subject_id)[0]]),
                    post_data(s, **answer))
    return s, people


@pytest.mark.commitment("C25")
def test_a_cell_under_eleven_is_suppressed_and_the_total_withheld(client):
    """With 10 answers, all Basic, the Basic count and the total are not shown (Pro's zero
    singles no one out); the number of responses is suppressed too."""
    s, _ = _answered(10, client, single="Basic")
    data = results.results(s)
    single = next(q for q in data["questions"] if q["kind"] == "single")
    assert dict(single["cells"]) == {"Basic": None, "Pro": 0}
    assert single["total"] is None
    assert SURVEY == 11 and data["responses"] is None


@pytest.mark.commitment("C25")
def test_a_small_cell_and_its_complement_are_hidden(client):
    """12 Basic and 3 Pro: Pro is under 11 and hidden; Basic, the only other, is hidden too."""
    s, people = _answered(12, client, single="Basic")
    pro = [invitee() for _ in range(3)]
    for person in pro:
        inv = Invitation.objects.create(survey=s, subject_id=person.subject_id,
                                        token_hash=services.hash_token(str(person.pk)),
                                        sent_to=person.email)
        answering.store(inv.pk, {str(s.questions.get(kind="single").pk): "Pro"},
                        contact_ok=False)
    single = next(q for q in results.results(s)["questions"] if q["kind"] == "single")
    assert dict(single["cells"]) == {"Basic": None, "Pro": None}
    assert single["total"] == 15


@pytest.mark.commitment("C25")
def test_free_text_is_withheld_unless_approved_and_the_shared_file_holds_only_aggregates(
        client):
    """Texts appear in results and the shared file only once approved; the share goes through
    the gate, which refuses a recipient not allowed aggregates for reporting."""
    s, _ = _answered(11, client, single="Basic", text="Call me, my name is Ann")
    text_q = s.questions.get(kind="text")
    data = results.results(s)
    texts = next(q for q in data["questions"] if q["kind"] == "text")
    assert texts["texts"] == [] and texts["pending"] == 11
    first = Answer.objects.filter(question=text_q).first()
    results.review_text(first.pk, "approved", actor="staff:1")
    content, kind = results.share(s.pk, "hostpact-group-services", "json", actor="staff:1")
    shared = json.loads(content)
    shared_texts = next(q for q in shared["questions"] if q["kind"] == "text")["texts"]
    assert shared_texts == ["Call me, my name is Ann"]
    assert "token" not in content.decode() and str(first.response_id) not in content.decode()
    assert Disclosure.objects.filter(recipient__slug="hostpact-group-services").exists()
    with pytest.raises(services.SurveyRefused, match="gate refused"):
        results.share(s.pk, "registry", "csv", actor="staff:1")


@pytest.mark.commitment("C25")
def test_the_results_page_shows_approved_text_only_and_a_refused_share_hands_nothing(client):
    """Staff see the approved text and not the others; a share the gate refuses downloads
    nothing and says why."""
    s = survey()
    people = [invitee(), invitee()]
    services.send_invitations(s.pk, actor="staff:1")
    for person, text in zip(people, ("Secret remark", "Shareable remark"), strict=True):
        client.post(reverse("surveys:answer", args=[tokens(person.subject_id)[0]]),
                    post_data(s, text=text))
    approved = Answer.objects.get(text="Shareable remark")
    results.review_text(approved.pk, "approved", actor="staff:1")
    client.force_login(make_staff(groups=("marketing",)))
    page = client.get(reverse("surveys:staff_results", args=[s.pk])).content.decode()
    assert "<li>Shareable remark</li>" in page and "<li>Secret remark</li>" not in page
    refused = client.post(reverse("surveys:staff_share", args=[s.pk]),
                          {"recipient": "registry", "fmt": "csv"}, follow=True)
    assert refused.get("Content-Disposition") is None
    assert "gate refused" in refused.content.decode()
