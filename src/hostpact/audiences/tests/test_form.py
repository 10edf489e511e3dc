"""The optional "About you" form (C04): nothing required, "Prefer not to say" everywhere,
answers encrypted at rest, shown in "My information" and the export, cleared in one click and
erased with the account; the platform works the same without answers."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from hostpact.audiences import queries, questions, services
from hostpact.audiences.forms import AnswersForm
from hostpact.audiences.models import Answers
from hostpact.core import clock, crypto
from hostpact.core.models import AuditEntry
from hostpact.privacy.rights.erasure import services as erasure
from hostpact.privacy.rights.export.queries import build_export

pytestmark = [pytest.mark.django_db, pytest.mark.commitment("C04")]

FULL = {"age_band": "25-34", "gender": "female", "country": "DE", "org_type": "business",
        "org_size": "2-9", "channel": "email", "products": ["vps", "email"],
        "topics": ["security"], "other": "Mostly static sites."}


def _post(client, **data):
    return client.post(reverse("audiences:form"), data)


def test_an_empty_submit_is_accepted_and_stores_nothing(client, subscriber):
    """Submitting the form untouched is accepted and stores no row."""
    client.force_login(subscriber)
    response = _post(client)
    assert response.status_code == 302
    assert not Answers.objects.filter(subject_id=subscriber.subject_id).exists()


def test_every_question_offers_prefer_not_to_say_as_its_default(client, subscriber):
    """Every question lists "Prefer not to say" first, chosen, and none is required."""
    form = AnswersForm()
    for name in questions.FIELDS:
        field = form.fields[name]
        assert not field.required
        if name in questions.FREE_TEXT:
            continue
        assert list(field.choices)[0] == questions.PREFER_NOT
        assert field.initial in ("", [""])
    client.force_login(subscriber)
    page = client.get(reverse("audiences:form")).content.decode()
    assert "Every question here is optional" in page
    form_html = page.split('aria-describedby="about-you-note"')[1].split("</form>")[0]
    questions_count = len(questions.SINGLE) + len(questions.MULTIPLE)
    assert form_html.count("<legend>") == questions_count
    assert form_html.count("Prefer not to say") == questions_count


def test_answers_are_saved_encrypted_at_rest(client, subscriber):
    """Saved answers read back through the model, but the database holds no plaintext."""
    client.force_login(subscriber)
    assert _post(client, **FULL).status_code == 302
    row = Answers.objects.get(subject_id=subscriber.subject_id)
    assert (row.country, row.products, row.topics) == ("DE", "email,vps", "security")
    with connection.cursor() as cur:
        cur.execute("SELECT gender, country, other FROM audiences_answers WHERE id = %s",
                    [row.pk])
        raw = cur.fetchone()
    assert all(v.startswith(crypto.PREFIX) for v in raw)
    assert "female" not in raw and "DE" not in raw and "Mostly static sites." not in raw
    assert AuditEntry.objects.filter(action="audiences.answers_saved",
                                     subject_id=subscriber.subject_id).exists()


def test_an_answer_outside_the_choices_is_refused_and_changes_nothing(client, subscriber):
    """A value not among a question's choices answers 400 naming it, and stores nothing."""
    client.force_login(subscriber)
    response = _post(client, gender="robot", country="DE")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Answers.objects.exists()
    with pytest.raises(services.AnswersInvalid) as err:
        services.save_answers(subscriber, {"products": ["boat"]}, actor="test")
    assert err.value.field == "products"


def test_prefer_not_to_say_and_answers_together_are_refused(client, subscriber):
    """Ticking "Prefer not to say" beside a product is refused with a message."""
    client.force_login(subscriber)
    response = _post(client, products=["", "vps"])
    assert response.status_code == 400 and "not both" in response.content.decode()


def test_clearing_deletes_every_answer_in_one_click(client, subscriber):
    """The clear button deletes the row and says so."""
    client.force_login(subscriber)
    _post(client, **FULL)
    response = client.post(reverse("audiences:clear"), follow=True)
    assert "All your answers are deleted" in response.content.decode()
    assert not Answers.objects.filter(subject_id=subscriber.subject_id).exists()
    assert client.get(reverse("audiences:clear")).status_code == 405


def test_answers_appear_in_my_information_and_the_export(client, subscriber):
    """The answers are listed on "My information" and in the export, labelled."""
    client.force_login(subscriber)
    _post(client, **FULL)
    page = client.get(reverse("panel:information")).content.decode()
    assert "About you (optional answers)" in page and "Mostly static sites." in page
    assert "Change or clear your answers" in page
    document = str(build_export(subscriber.subject_id))
    assert "Gender (your answer)" in document and "female" in document


def test_erasure_removes_the_answers(subscriber):
    """Erasing the subscriber deletes their answers."""
    services.save_answers(subscriber, FULL, actor="test")
    erasure.erase_subject(subscriber.subject_id, actor="test")
    assert not Answers.objects.filter(subject_id=subscriber.subject_id).exists()


def test_one_subscriber_never_sees_anothers_answers(client, subscriber, other_subscriber):
    """The form shows only the logged-in subscriber's own answers."""
    services.save_answers(other_subscriber, {"other": "secret words"}, actor="test")
    client.force_login(subscriber)
    assert "secret words" not in client.get(reverse("audiences:form")).content.decode()


def test_the_form_needs_a_login(client):
    """An anonymous visitor is sent to log in."""
    assert client.get(reverse("audiences:form")).status_code == 302


def test_the_platform_works_without_answers(client, subscriber):
    """Without answers the dashboard opens and attributes come from registration data."""
    client.force_login(subscriber)
    assert client.get(reverse("panel:dashboard")).status_code == 200
    a = queries.attributes_of(subscriber.subject_id)
    born = questions.age_band_of(datetime.date(1990, 1, 1), clock.today())
    assert (a.country, a.age_band, a.gender) == ("IN", born, None)


def test_form_answers_override_registration_data(subscriber):
    """A country and age band given in the form take precedence over the account's."""
    services.save_answers(subscriber, {"country": "DE", "age_band": "18-24"}, actor="test")
    a = queries.attributes_of(subscriber.subject_id)
    assert (a.country, a.age_band) == ("DE", "18-24")
    assert [x.country for x in queries.all_attributes() if x.subject_id ==
            subscriber.subject_id] == ["DE"]
