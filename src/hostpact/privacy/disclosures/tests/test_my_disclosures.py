"""A subscriber sees every disclosure of their data, in the API and the panel, and never
another subscriber's."""

import pytest
from django.test import Client

from hostpact.accounts.services import issue_api_token
from hostpact.privacy import disclose
from hostpact.testing import factories

pytestmark = pytest.mark.django_db
PURPOSE = "essential.service.notifications.email"


def _give(subject_id, reference):
    return disclose("email-provider", [subject_id], ["user.contact.email"], PURPOSE, "",
                    actor="system:test", reference=reference)


@pytest.mark.commitment("C21")
def test_api_lists_own_disclosures_only(subscriber, other_subscriber):
    """``GET /api/v1/me/disclosures`` lists the caller's disclosures with recipient,
    categories, purpose, legal basis and date; another subscriber's are not listed."""
    mine = _give(subscriber.subject_id, "mine")
    theirs = _give(other_subscriber.subject_id, "theirs")
    raw, _ = issue_api_token(subscriber)
    resp = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me/disclosures")
    assert resp.status_code == 200
    body = resp.json()
    [item] = [i for i in body["items"] if i["id"] == mine.pk]
    assert body["count"] == 2  # and the card's disclosure to the gateway at sign-up
    assert set(item) >= {"recipient", "categories", "purpose", "legal_basis", "date"}
    assert item["legal_basis"] == "Data-processing agreement DPA-MAIL-2010-01"
    assert theirs.pk not in [i["id"] for i in body["items"]]


def test_api_needs_authentication_and_validates_page():
    """Without credentials the list answers 401; a bad page number answers 400 naming it."""
    assert Client().get("/api/v1/me/disclosures").status_code == 401
    user = factories.make_subscriber()
    client = Client()
    client.force_login(user)
    resp = client.get("/api/v1/me/disclosures?page=0")
    assert resp.status_code == 400 and "page" in resp.json()["errors"]


def test_api_is_paginated(subscriber):
    """Fifty disclosures a page, newest first; ``?page=2`` gives the older ones (the 52 made
    here and, oldest, the card's disclosure to the gateway at sign-up)."""
    made = [_give(subscriber.subject_id, f"r{i}").pk for i in range(52)]
    client = Client()
    client.force_login(subscriber)
    first = client.get("/api/v1/me/disclosures").json()
    second = client.get("/api/v1/me/disclosures?page=2").json()
    assert (first["count"], first["pages"], len(first["items"])) == (53, 2, 50)
    assert [i["id"] for i in second["items"]][:2] == sorted(made)[:2][::-1]


def test_panel_page_lists_own_disclosures_only(client, subscriber, other_subscriber):
    """The panel page shows the subscriber's disclosures and nothing of another's."""
    mine = _give(subscriber.subject_id, "mine")
    theirs = _give(other_subscriber.subject_id, "theirs")
    client.force_login(subscriber)
    page = client.get("/panel/disclosures/").content.decode()
    assert f'data-disclosure="{mine.pk}"' in page
    assert f'data-disclosure="{theirs.pk}"' not in page
    assert "Example Mail Relay" in page and "user.contact.email" in page
    assert Client().get("/panel/disclosures/").status_code == 302
