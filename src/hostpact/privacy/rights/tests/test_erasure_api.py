"""Asking for erasure over the API and in the panel, and following it on the status URL."""

import re

import pytest
from django_tasks_db.models import DBTaskResult

from hostpact.accounts.models import User
from hostpact.accounts.tests.helpers import PASSWORD, web_login
from hostpact.billing import services as billing
from hostpact.core import audit
from hostpact.privacy.rights.models import ErasureJob
from hostpact.privacy.rights.tasks import run_erasure
from hostpact.privacy.rights.tests.helpers import price
from hostpact.testing import factories

pytestmark = pytest.mark.django_db


def _token(client, user):
    resp = client.post("/api/v1/auth/token", {"email": user.email, "password": PASSWORD},
                       content_type="application/json")
    assert resp.status_code == 200, resp.content
    return resp.json()["token"]


def test_api_erasure_answers_202_and_runs_as_a_task_on_commit(
        client, django_capture_on_commit_callbacks):
    """POST /me/erasure answers 202 with a request id and a status URL; the task is enqueued
    when the request commits (ids only) and erases the caller; the bearer token then dies
    while the status URL answers without credentials, listing the kept invoice."""
    user = factories.make_subscriber()
    actor = audit.actor_of(user)
    billing.place_order(user, price(), actor)
    token = _token(client, user)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        resp = client.post("/api/v1/me/erasure", **auth)
    assert resp.status_code == 202, resp.content
    body = resp.json()
    job = ErasureJob.objects.get(subject_id=user.subject_id)
    assert body["request_id"] == str(job.request_id)
    assert body["status_url"].endswith(f"/api/v1/erasure/{job.status_token}")
    assert len(job.status_token) >= 43  # 32 random bytes
    assert len(callbacks) == 1 and job.state == ErasureJob.State.PENDING
    assert not DBTaskResult.objects.exists()  # nothing before the commit
    callbacks[0]()
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path.endswith("run_erasure")
    assert queued.args_kwargs == {"args": [job.pk], "kwargs": {}}  # ids only
    path = re.sub(r"^https?://[^/]+", "", body["status_url"])
    assert client.get(path).json()["state"] == "pending"

    assert run_erasure.call(job.pk) == "done"  # what the worker runs
    assert client.get("/api/v1/me", **auth).status_code == 401
    status = client.get(path)  # no credentials
    assert status.status_code == 200
    data = status.json()
    assert data["state"] == "done" and data["finished_at"]
    [kept] = data["kept"]
    assert kept["item"].startswith("Invoices") and kept["until"] and kept["basis"]
    assert user.email not in status.content.decode()
    # The final state keeps answering.
    assert client.get(path).json()["state"] == "done"


def test_erasure_needs_credentials(client):
    """Without a session or token the request is refused with 401 and nothing starts."""
    resp = client.post("/api/v1/me/erasure")
    assert resp.status_code == 401
    assert not ErasureJob.objects.exists()


def test_another_subscribers_request_cannot_be_reached(client):
    """A status token differing by one character, a request id, a job number: all 404; and a
    logged-in subscriber's erasure never touches another subscriber."""
    a, b = factories.make_subscriber(), factories.make_subscriber()
    web_login(client, b)
    client.post("/api/v1/me/erasure")
    job = ErasureJob.objects.get(subject_id=b.subject_id)
    wrong = job.status_token[:-1] + ("A" if job.status_token[-1] != "A" else "B")
    for probe in (wrong, str(job.request_id), str(job.pk), "x" * 43):
        assert client.get(f"/api/v1/erasure/{probe}").status_code == 404
        assert client.get(f"/erasure/{probe}/").status_code == 404
    assert not ErasureJob.objects.filter(subject_id=a.subject_id).exists()
    assert User.objects.get(pk=a.pk).is_active


def test_panel_erase_explains_and_needs_customer_id_and_password(client):
    """The page explains what goes and what the law keeps; a wrong customer ID (another
    subscriber's) or password re-renders the form naming the field and starts nothing."""
    user, other = factories.make_subscriber(), factories.make_subscriber()
    web_login(client, user)
    page = client.get("/panel/erase/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "cannot be undone" in text and "Invoices" in text
    resp = client.post("/panel/erase/", {"customer_id": other.customer_id,
                                         "password": PASSWORD})
    assert resp.status_code == 400 and "This is not your customer ID." in resp.content.decode()
    resp = client.post("/panel/erase/", {"customer_id": user.customer_id,
                                         "password": "wrong-password-1"})
    assert resp.status_code == 400 and "The password is not correct." in resp.content.decode()
    assert not ErasureJob.objects.exists()


def test_panel_erase_confirmed_signs_out_and_shows_the_outcome(
        client, django_capture_on_commit_callbacks):
    """Confirming with the right customer ID and password starts the erasure, signs out,
    and leads to the outcome page, which works without login and shows the final state."""
    user = factories.make_subscriber()
    web_login(client, user)
    with django_capture_on_commit_callbacks(execute=False):
        resp = client.post("/panel/erase/", {"customer_id": user.customer_id.lower(),
                                             "password": PASSWORD})
    job = ErasureJob.objects.get(subject_id=user.subject_id)
    assert resp.status_code == 302 and resp["Location"] == f"/erasure/{job.status_token}/"
    run_erasure.call(job.pk)
    assert client.get("/panel/").status_code == 302
    page = client.get(resp["Location"])
    assert page.status_code == 200 and "information is erased" in page.content.decode()
    assert page["Cache-Control"] == "no-store"
