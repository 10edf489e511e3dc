"""The leave page: each domain still sponsored with its two choices, before erasure."""

import datetime

import pytest

from hostpact.core import clock
from hostpact.domains.models import Domain
from hostpact.domains.services.changes import auth_code_matches
from hostpact.domains.tests.helpers import register

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)
LATER = START + datetime.timedelta(days=61)


@pytest.fixture
def domain(subscriber):
    with clock.freeze(START):
        return register(subscriber, "leaving.test")


def test_the_page_needs_a_login(client):
    """Without a login the page sends to the login page."""
    assert client.get("/panel/domains/leave/").status_code == 302


def test_the_page_lists_each_domain_with_both_choices_and_explains_the_keep(
        client, subscriber, domain):
    """Each sponsored domain is listed with a transfer and a delete choice, and the page says
    the registration data is kept 2 years, then destroyed."""
    client.force_login(subscriber)
    page = client.get("/panel/domains/leave/").content.decode()
    assert 'data-domain="leaving.test"' in page
    assert 'action="/panel/domains/leave/leaving.test/transfer/"' in page
    assert 'href="/panel/domains/leave/leaving.test/delete/"' in page
    assert "for 2 years after our sponsorship ends" in page and "destroyed" in page


def test_transfer_out_shows_the_auth_code_once(client, subscriber, domain):
    """Choosing transfer shows a working auth code on a page that is not cached."""
    client.force_login(subscriber)
    with clock.freeze(LATER):
        resp = client.post("/panel/domains/leave/leaving.test/transfer/")
    assert resp.status_code == 200 and resp["Cache-Control"] == "no-store"
    code = resp.context["code"]
    assert code in resp.content.decode()
    domain.refresh_from_db()
    assert domain.state == Domain.State.TRANSFERRING_OUT and auth_code_matches(domain, code)


def test_transfer_in_the_lock_period_is_refused_on_the_page(client, subscriber, domain):
    """Too soon after registration, the page says from when a transfer is possible."""
    client.force_login(subscriber)
    with clock.freeze(START):
        resp = client.post("/panel/domains/leave/leaving.test/transfer/")
    assert resp.status_code == 400 and "2026-04-30" in resp.content.decode()
    domain.refresh_from_db()
    assert domain.state == Domain.State.ACTIVE


def test_delete_asks_to_confirm_then_deletes(client, subscriber, domain):
    """Delete shows a confirmation first; confirmed, the domain is gone from the list."""
    client.force_login(subscriber)
    confirm = client.get("/panel/domains/leave/leaving.test/delete/")
    assert confirm.status_code == 200 and "cannot be undone" in confirm.content.decode()
    assert Domain.objects.get(pk=domain.pk).state == Domain.State.ACTIVE
    resp = client.post("/panel/domains/leave/leaving.test/delete/", follow=True)
    assert Domain.objects.get(pk=domain.pk).state == Domain.State.DELETED
    page = resp.content.decode()
    assert "was deleted at the registry" in page and "erase your account" in page


def test_another_subscribers_or_an_ended_domain_answers_404(client, subscriber,
                                                             other_subscriber, domain):
    """Another's domain, and one no longer sponsored, answer 404 and change nothing."""
    client.force_login(other_subscriber)
    assert client.post("/panel/domains/leave/leaving.test/transfer/").status_code == 404
    assert client.post("/panel/domains/leave/leaving.test/delete/").status_code == 404
    assert Domain.objects.get(pk=domain.pk).state == Domain.State.ACTIVE
    client.force_login(subscriber)
    client.post("/panel/domains/leave/leaving.test/delete/")
    assert client.post("/panel/domains/leave/leaving.test/delete/").status_code == 404
