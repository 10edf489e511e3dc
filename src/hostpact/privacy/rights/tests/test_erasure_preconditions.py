"""Erasure preconditions: what an app registers as to be settled first stops a requested
erasure, on the page, over the API and for staff, and lets it through once settled.

The blocker comes from the test-only loyalty-card app (``privacy/tests/sampleapp``): a card
owing points must be settled before its holder is erased.
"""

import pytest

from hostpact.accounts.tests.helpers import PASSWORD, web_login
from hostpact.core import clock
from hostpact.privacy import registry
from hostpact.privacy.rights.erasure import services as erasure
from hostpact.privacy.rights.models import ErasureJob
from hostpact.privacy.subject_requests import services as requests
from hostpact.privacy.subject_requests.tests.helpers import verified
from hostpact.privacy.tests.sampleapp.models import LoyaltyCard
from hostpact.testing.factories import make_staff

pytestmark = pytest.mark.django_db

OWED = "Your loyalty card owes 40 points: settle them first."


@pytest.fixture
def owing(subscriber):
    return LoyaltyCard.objects.create(subject=subscriber.subject, user=subscriber,
                                      printed_name="Asha Loyalty", phone="+919812345670",
                                      points=-40, created_at=clock.now())


def _settle(card):
    card.points = 0
    card.save(update_fields=["points"])


def test_a_blocker_refuses_the_request_and_starts_nothing(subscriber, owing):
    """While a precondition answers a blocker, request_erasure raises it and opens no job;
    settled, the same request opens the job."""
    with pytest.raises(registry.ErasureBlocked) as raised:
        erasure.request_erasure(subscriber, actor="system:test")
    assert [b.text for b in raised.value.blockers] == [OWED]
    assert not ErasureJob.objects.exists()
    _settle(owing)
    assert erasure.request_erasure(subscriber, actor="system:test").subject_id == \
        subscriber.subject_id


def test_the_api_answers_409_with_the_blockers_and_their_pages(client, subscriber, owing):
    """POST /me/erasure answers a 409 problem with code erasure_blocked, listing each
    blocker with the address of the page that settles it."""
    token = client.post("/api/v1/auth/token", {"email": subscriber.email,
                                               "password": PASSWORD},
                        content_type="application/json").json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    resp = client.post("/api/v1/me/erasure", **auth)
    assert resp.status_code == 409
    assert resp["Content-Type"] == "application/problem+json"
    body = resp.json()
    assert body["code"] == "erasure_blocked" and OWED in body["detail"]
    assert body["blockers"] == [{"text": OWED, "url": "/panel/"}]
    assert not ErasureJob.objects.exists()
    _settle(owing)
    assert client.post("/api/v1/me/erasure", **auth).status_code == 202


def test_the_erase_page_lists_the_blockers_with_links_instead_of_the_form(
        client, subscriber, owing):
    """The erase page lists each blocker linked to where it is settled and offers no
    confirmation; a confirmation posted anyway answers 409 and starts nothing."""
    web_login(client, subscriber)
    page = client.get("/panel/erase/").content.decode()
    assert f'<a href="/panel/">{OWED}</a>' in page
    assert 'name="password"' not in page
    resp = client.post("/panel/erase/", {"customer_id": subscriber.customer_id,
                                         "password": PASSWORD})
    assert resp.status_code == 409 and OWED in resp.content.decode()
    assert not ErasureJob.objects.exists()


def test_staff_erasure_for_a_request_reports_the_blockers(subscriber, owing):
    """Staff fulfilling an erasure request are told what the person must settle first, and
    nothing is erased; once settled the request completes."""
    staff = make_staff(groups=["support"])
    dsr = verified(staff, subscriber, kind="erasure")
    with pytest.raises(requests.RequestError) as raised:
        requests.fulfil_erasure(dsr, staff)
    assert OWED in str(raised.value)
    assert not ErasureJob.objects.exists()
    _settle(owing)
    assert requests.fulfil_erasure(dsr, staff).status == "completed"


def test_the_engine_itself_does_not_wait_for_preconditions(subscriber, owing):
    """An erasure the engine is told to run (a child's account, say) runs all the same."""
    job = erasure.erase_subject(subscriber.subject_id, actor="system:test")
    assert job.state == ErasureJob.State.DONE
