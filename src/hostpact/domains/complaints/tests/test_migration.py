"""Migration 0002 moves each answer given to a complaint into its own row under the customer's
subject, every value still readable, and moves it back when unapplied."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from hostpact.core import clock
from hostpact.core.models import Subject
from hostpact.core.subjects import create_subject
from hostpact.domains.complaints.models import ComplaintAnswer
from hostpact.domains.complaints.tests.helpers import DUE, FILED, at, private_domain

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("domain_complaints", "0001_initial")]
AFTER = [("domain_complaints", "0002_complaint_answer")]
STATEMENT = "I phoned the complainant on 3 March and emailed them my address."


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_cases(subscriber):
    """Under 0001: one complaint answered with a proof, one still awaiting the answer."""
    with clock.freeze(FILED):
        domain = private_domain(subscriber)
        other = private_domain(subscriber)
    apps = migrate(BEFORE)
    try:
        old = apps.get_model("domain_complaints", "Complaint")
        common = dict(owner_subject_id=subscriber.subject_id, filed_by="anonymous",
                      filed_at=FILED, due_on=DUE, name="Meera Rightsholder",
                      grounds="Counterfeit goods are sold under our registered mark.")
        answered = old.objects.create(
            domain_id=domain.pk, subject_id=create_subject(Subject.Kind.INQUIRER).pk,
            state="answered", statement=STATEMENT, indemnity_accepted=True,
            evidence_name="log.txt", evidence_type="text/plain", evidence="Q2FsbCBsb2c=",
            answered_at=at(DUE), **common)
        waiting = old.objects.create(
            domain_id=other.pk, subject_id=create_subject(Subject.Kind.INQUIRER).pk, **common)
        yield answered.pk, waiting.pk
    finally:
        migrate(AFTER)


def test_an_answer_moves_to_its_own_row_under_the_customers_subject(subscriber, old_cases):
    """The answered complaint gets one answer, readable and under the subscriber's subject;
    the unanswered one gets none."""
    answered, waiting = old_cases
    migrate(AFTER)
    [answer] = ComplaintAnswer.objects.all()
    assert answer.complaint_id == answered and answer.subject_id == subscriber.subject_id
    assert answer.statement == STATEMENT and answer.indemnity_accepted
    assert (answer.evidence_name, answer.evidence_type, answer.evidence) == (
        "log.txt", "text/plain", "Q2FsbCBsb2c=")
    assert answer.answered_at == at(DUE)
    assert not ComplaintAnswer.objects.filter(complaint_id=waiting).exists()


def test_unapplying_puts_the_answer_back_on_the_complaint(old_cases):
    """Migrating back to 0001 restores the answer's values on the complaint."""
    answered, _ = old_cases
    migrate(AFTER)
    apps = migrate(BEFORE)
    restored = apps.get_model("domain_complaints", "Complaint").objects.get(pk=answered)
    assert restored.statement == STATEMENT and restored.evidence_name == "log.txt"
    assert restored.answered_at == at(DUE)
