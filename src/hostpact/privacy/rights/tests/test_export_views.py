"""The export's routes: the API answers the caller's own document as an attachment, the panel
page shows it, and the zip link works for one hour and only for the account that made it."""

import datetime
import io
import json
import re
import zipfile
from datetime import UTC, timedelta

import pytest

from hostpact.accounts import services as accounts
from hostpact.core import clock
from hostpact.core.models import AuditEntry

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def _link(client) -> str:
    response = client.post("/panel/export/link/")
    assert response.status_code == 200
    match = re.search(r'href="(/panel/export/download/[^"]+/)"', response.content.decode())
    assert match, "the page shows the download link"
    return match.group(1)


@pytest.mark.commitment("C32")
def test_api_export_is_the_callers_document_as_an_attachment(client, subscriber,
                                                             other_subscriber):
    """GET /api/v1/me/export answers the caller's document, named by customer ID, and writes
    a rights.export event; nothing of another subscriber is in it."""
    client.force_login(subscriber)
    response = client.get("/api/v1/me/export")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == (
        f'attachment; filename="hostpact-export-{subscriber.customer_id}.json"')
    document = json.loads(response.content)
    assert document["export"]["customer_id"] == subscriber.customer_id
    assert {"accounts", "billing"} <= set(document["sections"])
    text = response.content.decode()
    assert subscriber.email in text and subscriber.profile.name in text
    assert other_subscriber.email not in text and other_subscriber.profile.name not in text
    event = AuditEntry.objects.filter(action="rights.export").latest("seq")
    assert event.subject_id == subscriber.subject_id and event.object_ref == "api"


def test_api_export_takes_a_bearer_token_and_refuses_the_anonymous(client, subscriber):
    """A bearer token works like the session; without credentials the answer is a 401
    problem."""
    raw, _row = accounts.issue_api_token(subscriber)
    response = client.get("/api/v1/me/export", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert json.loads(response.content)["export"]["customer_id"] == subscriber.customer_id
    anonymous = client.get("/api/v1/me/export", HTTP_AUTHORIZATION="")
    assert anonymous.status_code == 401
    assert anonymous["Content-Type"] == "application/problem+json"


@pytest.mark.commitment("C32")
def test_panel_page_shows_the_document_readably(client, subscriber):
    """/panel/export/ shows each value in tables per app with its category, offers the zip, and
    the panel navigation links to it."""
    client.force_login(subscriber)
    response = client.get("/panel/export/")
    assert response.status_code == 200
    page = response.content.decode()
    assert subscriber.profile.name in page and subscriber.email in page
    assert 'data-section="accounts"' in page and 'data-section="billing"' in page
    assert "user.contact.email" in page
    assert "Download everything (zip)" in page
    assert 'href="/panel/export/"' in client.get("/panel/").content.decode()


def test_panel_page_needs_a_login(client):
    """Anonymous visitors are sent to the login page."""
    response = client.get("/panel/export/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.commitment("C32")
def test_zip_link_downloads_json_and_html(client, subscriber):
    """The link from "Download everything" answers a zip holding export.json and export.html,
    both with the subscriber's data."""
    client.force_login(subscriber)
    response = client.get(_link(client))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f"hostpact-export-{subscriber.customer_id}.zip" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["export.html", "export.json"]
        document = json.loads(archive.read("export.json"))
        html = archive.read("export.html").decode()
    assert document["export"]["customer_id"] == subscriber.customer_id
    assert subscriber.email in json.dumps(document)
    assert subscriber.profile.name in html and "<table>" in html
    assert AuditEntry.objects.filter(action="rights.export", object_ref="zip",
                                     subject_id=subscriber.subject_id).exists()


@pytest.mark.commitment("C32")
def test_zip_link_of_one_subscriber_is_404_for_another(client, subscriber, other_subscriber):
    """A link made by A, used while logged in as B, answers 404 and gives nothing of A."""
    client.force_login(subscriber)
    url = _link(client)
    client.force_login(other_subscriber)
    response = client.get(url)
    assert response.status_code == 404
    assert subscriber.profile.name not in response.content.decode()
    assert b"not valid for your account" in response.content


def test_tampered_link_is_404(client, subscriber):
    """A link whose token was altered is refused with a clear message."""
    client.force_login(subscriber)
    url = _link(client)
    token = url.rstrip("/").rsplit("/", 1)[1]
    broken = url.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    response = client.get(broken)
    assert response.status_code == 404 and b"not valid" in response.content


@pytest.mark.commitment("C32")
def test_expired_link_is_refused_with_410(client, subscriber):
    """A link works for an hour: at 59 minutes it downloads, after 61 it answers 410 Gone."""
    client.force_login(subscriber)
    with clock.freeze(T0):
        url = _link(client)
    with clock.freeze(T0 + timedelta(minutes=59)):
        assert client.get(url).status_code == 200
    with clock.freeze(T0 + timedelta(minutes=61)):
        response = client.get(url)
    assert response.status_code == 410
    assert b"expired" in response.content


def test_making_a_link_needs_post(client, subscriber):
    """The link is made by the form's POST, never by a GET a page could trigger."""
    client.force_login(subscriber)
    assert client.get("/panel/export/link/").status_code == 405
