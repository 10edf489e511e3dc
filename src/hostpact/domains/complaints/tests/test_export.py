"""The customer's answer to a complaint is theirs: it is in their export and on "My
information", under their own key, while the complainant's identity and grounds stay tied to
the complainant's own subject and out of the customer's export (policy 4.8, C32)."""

import pytest
from django.db import connection

from hostpact.core import clock, crypto
from hostpact.domains.complaints import services
from hostpact.domains.complaints.tests.helpers import (
    DUE,
    FILED,
    at,
    complainant,
    file,
    private_domain,
)
from hostpact.privacy.rights.export.queries import build_export
from hostpact.privacy.subject_data import items_for

pytestmark = pytest.mark.django_db

STATEMENT = "I phoned the complainant on 3 March and emailed them my postal address."
PROOF = b"Call log: 3 March 10:15, 12 minutes."


@pytest.fixture
def answered(subscriber):
    with clock.freeze(FILED):
        complaint = file(private_domain(subscriber))
    with clock.freeze(at(DUE)):
        services.answer_complaint(complaint, statement=STATEMENT, indemnity=True,
                                  evidence=PROOF, evidence_name="call-log.txt",
                                  actor="subscriber:test")
    complaint.refresh_from_db()
    return complaint


def exported(document) -> dict:
    """``{(app, model): [{field: value}, ...]}`` of an export document."""
    return {(app, model): [{i["field"]: i["value"] for i in record["items"]}
                           for record in records]
            for app, models in document["sections"].items()
            for model, records in models.items()}


def stored_values(document) -> str:
    """Every exported value but the mail we sent: the request for assurances named the
    complainant to the customer on purpose (policy 4.8), and that mail is the customer's."""
    return "\n".join(str(value) for key, records in exported(document).items()
                     if key != ("core", "OutboxMessage")
                     for record in records for value in record.values())


@pytest.mark.commitment("C32")
def test_the_customers_export_holds_their_answer_and_nothing_of_the_complainant(
        subscriber, answered):
    """The subscriber's export lists their statement, indemnity, proof and its date; the
    complainant's name, email, grounds and reference are in no record of it (only in the mail
    that asked the customer to contact them)."""
    document = build_export(subscriber.subject_id)
    [answer] = exported(document)[("domain_complaints", "ComplaintAnswer")]
    assert answer["statement"] == STATEMENT
    assert answer["indemnity_accepted"] is True
    assert answer["evidence_name"] == "call-log.txt"
    assert answer["answered_at"].startswith(DUE.isoformat())
    assert ("domain_complaints", "Complaint") not in exported(document)
    assert ("core", "OutboxMessage") in exported(document)
    text = stored_values(document)
    for value in complainant().values():
        assert value not in text, value


def test_my_information_shows_the_answer_under_its_own_title(client, subscriber, answered):
    """"My information" shows the answer under "Answers to complaints about my domains"."""
    client.force_login(subscriber)
    page = client.get("/panel/information/").content.decode()
    assert "Answers to complaints about my domains" in page
    assert STATEMENT in page
    assert "Meera Rightsholder" not in page


def test_the_complainants_data_stay_tied_to_the_complainant(subscriber, answered):
    """The complainant's values are under the complainant's own subject and key; the answer is
    under the subscriber's; neither appears among the other's data."""
    theirs = {i.field: i.raw for i in items_for(answered.subject_id)}
    assert theirs["name"] == "Meera Rightsholder"
    assert theirs["grounds"] == complainant()["grounds"]
    assert "statement" not in theirs
    with connection.cursor() as cur:
        cur.execute("SELECT c.name, c.grounds, a.statement, a.evidence "
                    "FROM domain_complaints_complaint c "
                    "JOIN domain_complaints_complaintanswer a ON a.complaint_id = c.id")
        [(name, grounds, statement, evidence)] = cur.fetchall()
    assert {crypto.parse(v)[0] for v in (name, grounds)} == {answered.subject_id}
    assert {crypto.parse(v)[0] for v in (statement, evidence)} == {subscriber.subject_id}
    assert answered.answer.subject_id == subscriber.subject_id != answered.subject_id
