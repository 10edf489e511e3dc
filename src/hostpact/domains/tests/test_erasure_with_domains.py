"""Erasure with domains: active domains are settled first, by the subscriber's choice."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta

from hostpact.accounts.tests.helpers import PASSWORD, web_login
from hostpact.core import clock
from hostpact.domains.models import Domain
from hostpact.domains.registry.models import RegistryDomain
from hostpact.domains.services.lifecycle import delete_domain
from hostpact.domains.tests.helpers import register
from hostpact.privacy import registry
from hostpact.privacy.rights.erasure import services as erasure
from hostpact.privacy.rights.models import ErasureJob, KeyExpiry

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)


def _token(client, user):
    return client.post("/api/v1/auth/token", {"email": user.email, "password": PASSWORD},
                       content_type="application/json").json()["token"]


def test_active_domains_block_the_api_erasure_each_linked_to_the_leave_page(
        client, subscriber):
    """POST /me/erasure answers 409 erasure_blocked listing each sponsored domain with the
    leave page; once each is deleted, the erasure goes through."""
    first, second = register(subscriber, "one.test"), register(subscriber, "two.test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(client, subscriber)}"}
    resp = client.post("/api/v1/me/erasure", **auth)
    assert resp.status_code == 409 and resp.json()["code"] == "erasure_blocked"
    blockers = resp.json()["blockers"]
    assert [b["url"] for b in blockers] == ["/panel/domains/leave/"] * 2
    assert "one.test" in blockers[0]["text"] and "two.test" in blockers[1]["text"]
    assert not ErasureJob.objects.exists()
    delete_domain(first, actor="system:test")
    assert len(client.post("/api/v1/me/erasure", **auth).json()["blockers"]) == 1
    delete_domain(second, actor="system:test")
    assert client.post("/api/v1/me/erasure", **auth).status_code == 202


def test_the_erase_page_leads_to_the_leave_page(client, subscriber):
    """The erase page names the domain and links to where it is settled."""
    register(subscriber, "page.test")
    web_login(client, subscriber)
    page = client.get("/panel/erase/").content.decode()
    assert 'href="/panel/domains/leave/"' in page and "page.test" in page


def test_a_domain_released_for_transfer_still_blocks(subscriber):
    """A domain waiting for its transfer is still ours: it blocks until the transfer ends."""
    domain = register(subscriber, "waiting.test")
    Domain.objects.filter(pk=domain.pk).update(state=Domain.State.TRANSFERRING_OUT)
    with pytest.raises(registry.ErasureBlocked):
        erasure.request_erasure(subscriber, actor="system:test")


def test_an_erasure_the_engine_runs_anyway_ends_what_is_left(subscriber):
    """An erasure run by the engine itself (a child's account) deletes the domains still
    sponsored at the registry and keeps the contacts' keys 2 years from then."""
    with clock.freeze(START):
        domain = register(subscriber, "left.test")
        job = erasure.erase_subject(subscriber.subject_id, actor="system:test")
    assert job.state == ErasureJob.State.DONE and job.counts["domains_ended"] == 1
    domain.refresh_from_db()
    assert domain.state == Domain.State.DELETED and domain.ended_at == START
    assert not RegistryDomain.objects.filter(name="left.test").exists()
    [expiry] = KeyExpiry.objects.filter(retention_class="registration",
                                        subject_id=domain.roles.first().contact
                                        .contact_subject_id)
    assert expiry.due_at == START + relativedelta(years=2)
