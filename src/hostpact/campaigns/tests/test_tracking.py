"""The open pixel and click redirects: signed tokens, first open and click recorded only for
a recipient who allowed measurement, no open redirect, no cookie (C11)."""

import re

import pytest
from django.test import Client

from hostpact.campaigns import rendering, sending, services
from hostpact.campaigns.models import Campaign, Recipient
from hostpact.campaigns.tests.helpers import draft, subscribed
from hostpact.core.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _sent(measured=True):
    user = subscribed(measured=measured)
    campaign = draft()
    services.queue_campaign(campaign.pk, actor="staff:1")
    sending.feed(campaign.pk)
    row = Recipient.objects.get(subject_id=user.subject_id)
    message = OutboxMessage.objects.get(pk=row.message_id)
    return campaign, row, message


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.mark.commitment("C11")
def test_a_measured_open_answers_a_gif_and_records_the_first_open_only():
    """The pixel answers a 1x1 GIF with no cookie; the first open is recorded, a second
    changes nothing."""
    campaign, row, message = _sent()
    pixel = _path(re.search(r'<img src="([^"]+)"', message.html).group(1))
    client = Client()
    first = client.get(pixel)
    assert first.status_code == 200 and first["Content-Type"] == "image/gif"
    assert first.content.startswith(b"GIF89a") and not first.cookies
    row.refresh_from_db()
    opened = row.opened_at
    assert opened is not None
    client.get(pixel)
    row.refresh_from_db()
    assert row.opened_at == opened
    assert Campaign.objects.get(pk=campaign.pk).opened_count == 1


@pytest.mark.commitment("C11")
def test_a_measured_click_redirects_to_the_campaign_link_and_records_it():
    """Each tracked link redirects to the URL the body had at its place; the first click is
    recorded once."""
    campaign, row, message = _sent()
    hrefs = [_path(h) for h in re.findall(r'href="([^"]*/m/c/[^"]+)"', message.html)]
    assert len(hrefs) == 2
    client = Client()
    first = client.get(hrefs[0])
    assert first.status_code == 302 and first["Location"] == "https://hostpact.test/plans/"
    assert not first.cookies
    assert client.get(hrefs[1])["Location"] == "https://example.test/terms"
    row.refresh_from_db()
    assert row.clicked_at is not None
    assert Campaign.objects.get(pk=campaign.pk).clicked_count == 1


@pytest.mark.commitment("C11")
def test_tokens_of_an_unmeasured_recipient_record_nothing():
    """A token made for a recipient who did not allow measurement (their message has none)
    still answers, but records no open and no click."""
    campaign, row, _ = _sent(measured=False)
    client = Client()
    assert client.get(f"/m/o/{rendering.open_token(row.pk)}.gif").status_code == 200
    assert client.get(f"/m/c/{rendering.click_token(row.pk, 0)}").status_code == 302
    row.refresh_from_db()
    assert row.opened_at is None and row.clicked_at is None
    campaign.refresh_from_db()
    assert campaign.opened_count == campaign.clicked_count == 0


@pytest.mark.parametrize("path", [
    "/m/o/forged.gif", "/m/c/forged", "/m/o/MQ:1xYd6I:2rnXLWi5jk7qA4KSeG19bfTJD5F61.gif",
])
def test_a_forged_token_answers_404_and_records_nothing(path):
    """A token that is not ours is a 404 page; nothing is recorded."""
    _, row, _ = _sent()
    response = Client().get(path)
    assert response.status_code == 404 and not response.cookies
    row.refresh_from_db()
    assert row.opened_at is None and row.clicked_at is None


def test_a_link_index_outside_the_body_is_no_open_redirect():
    """A correctly signed token with an index the body has no link for answers 404."""
    _, row, _ = _sent()
    assert Client().get(f"/m/c/{rendering.click_token(row.pk, 7)}").status_code == 404
    assert Client().get(f"/m/c/{rendering.click_token(row.pk, -1)}").status_code == 404
    open_as_click = rendering.open_token(row.pk)
    assert Client().get(f"/m/c/{open_as_click}").status_code == 404
    row.refresh_from_db()
    assert row.clicked_at is None
