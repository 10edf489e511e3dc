"""Query budgets of the pages a logged-in subscriber hits most, so a change cannot quietly
add queries to them (the benchmark of issue 2 measures them under load)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hostpact.accounts import services
from hostpact.accounts.tests.helpers import web_login
from hostpact.domains.tests.helpers import register
from hostpact.privacy import registry
from hostpact.privacy.subject_data import items_for, subject_path
from hostpact.testing import factories


def _warm(client, path, **headers):
    # The first request of a subject may read its data key; the budget is the steady state.
    assert client.get(path, **headers).status_code == 200


@pytest.mark.django_db
def test_me_with_a_bearer_token_costs_at_most_two_queries(client, subscriber,
                                                          django_assert_max_num_queries):
    """GET /api/v1/me: the token row with its user and profile, then the default card."""
    raw, _ = services.issue_api_token(subscriber)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    _warm(client, "/api/v1/me", **auth)
    with django_assert_max_num_queries(2):
        resp = client.get("/api/v1/me", **auth)
    assert resp.json()["customer_id"] == subscriber.customer_id
    assert resp.json()["card"]["last4"] == "4242"


@pytest.mark.django_db
def test_dashboard_costs_at_most_four_queries(client, subscriber,
                                              django_assert_max_num_queries):
    """GET /panel/: session, user, the card with its profile and the two-factor flag, and one
    query for the subscriber's domains however many there are."""
    for _ in range(3):
        register(subscriber)
    web_login(client, subscriber)
    _warm(client, "/panel/")
    with django_assert_max_num_queries(4):
        resp = client.get("/panel/")
    assert subscriber.profile.name in resp.content.decode()
    assert resp.content.decode().count("/panel/domains/domain") == 3


@pytest.mark.django_db
def test_my_information_queries_only_models_with_rows_and_reads_the_user_once(
        client, subscriber, django_assert_max_num_queries):
    """GET /panel/information/: session, user, one existence probe over the data map, then one
    query per model holding rows of the subscriber; the user is not loaded a second time."""
    web_login(client, subscriber)
    _warm(client, "/panel/information/")
    models_with_rows = {(i.app, i.model) for i in items_for(subscriber.subject_id)}
    budget = 3 + len(models_with_rows - {("accounts", "User")})
    with django_assert_max_num_queries(budget):
        resp = client.get("/panel/information/")
    assert resp.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        client.get("/panel/information/")
    user_loads = [q for q in ctx.captured_queries if 'FROM "accounts_user"' in q["sql"]]
    assert len(user_loads) == 1


@pytest.mark.django_db
def test_items_for_finds_the_same_rows_as_asking_every_model(subscriber, other_subscriber):
    """The existence probe skips only models without rows: the models listed are exactly those
    a query per model finds, and rows passed as ``known`` give the same items."""
    factories.make_subscriber()  # a third subject whose rows must not leak in
    for subject in (subscriber, other_subscriber):
        expected = set()
        for entry in registry.entries():
            path = subject_path(entry.model)
            if entry.personal_fields() and path and entry.model._default_manager.filter(
                    **{path: subject.subject_id}).exists():
                expected.add(entry.model._meta.object_name)
        items = items_for(subject.subject_id)
        assert {i.model for i in items} == expected
        known = items_for(subject.subject_id, known=[subject])
        assert [(i.model, i.field, i.row, i.value) for i in known] == \
            [(i.model, i.field, i.row, i.value) for i in items]
