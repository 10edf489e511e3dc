"""The campaign editor and report in the back office: marketing staff only, every button a
service, the count before sending, small figures suppressed; erasure keeps only aggregates."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from hostpact.campaigns import sending, services
from hostpact.campaigns.models import Campaign, Recipient
from hostpact.campaigns.tests.helpers import BODY, draft, subscribed
from hostpact.core.mail import deliver_queued
from hostpact.core.models import OutboxMessage
from hostpact.privacy.rights.erasure import services as erasure
from hostpact.testing.factories import make_staff

pytestmark = pytest.mark.django_db


def staff_client(*groups):
    for name in groups:  # a transactional test elsewhere may have flushed the migration's roles
        Group.objects.get_or_create(name=name)
    client = Client()
    staff = make_staff(groups=groups)
    client.force_login(staff)
    return client, staff


def _form(**over):
    return {"list_key": "promotions", "subject_line": "Autumn offer", "body": BODY,
            "product": "", "country": "", "signed_up_after": "", "signed_up_before": "",
            "scheduled_at": "", "action": "save", **over}


def test_only_marketing_staff_open_the_campaign_pages():
    """Support staff are refused the editor; marketing staff get it."""
    support, _ = staff_client("support")
    assert support.get(reverse("admin:campaigns_campaign_add")).status_code in (302, 403)
    marketing, _ = staff_client("marketing")
    assert marketing.get(reverse("admin:campaigns_campaign_add")).status_code == 200


def test_the_editor_saves_a_draft_and_shows_preview_and_count():
    """Saving creates the draft through the service; its page shows the rendered preview and
    how many it reaches (suppressed below 10)."""
    for _ in range(3):
        subscribed()
    client, _ = staff_client("marketing")
    response = client.post(reverse("admin:campaigns_campaign_add"), _form())
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))
    html = page.content.decode()
    assert "<h1>Autumn offer</h1>" in html
    assert "This campaign reaches fewer than 10 subscribers now." in html
    assert "/m/o/" not in html


def test_a_bad_form_changes_nothing_and_names_the_field():
    """An empty subject line and a bad country answer 400 on the page; no campaign is made."""
    client, _ = staff_client("marketing")
    response = client.post(reverse("admin:campaigns_campaign_add"),
                           _form(subject_line="", country="India"))
    assert response.status_code == 400
    assert not Campaign.objects.exists()


def test_schedule_in_the_past_leaves_the_draft_as_it_was():
    """A refused schedule rolls back the edit made with it."""
    campaign = draft()
    client, _ = staff_client("marketing")
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    response = client.post(url, _form(subject_line="Changed", action="schedule",
                                      scheduled_at="2001-01-01T10:00"))
    assert response.status_code == 400 and b"future" in response.content
    campaign.refresh_from_db()
    assert campaign.subject_line == "Autumn offer" and campaign.status == Campaign.Status.DRAFT


def test_send_a_test_then_send_now_then_the_report(mail_catcher):
    """A test goes to the staff member; send now queues the campaign and opens its report,
    which says whom opens and clicks are measured for and suppresses small figures."""
    for i in range(12):
        subscribed(measured=i < 2)
    client, staff = staff_client("marketing")
    campaign = draft()
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    client.post(url, _form(action="test"))
    assert OutboxMessage.objects.filter(subject_id=staff.subject_id).count() == 1
    response = client.post(url, _form(action="send"))
    assert response["Location"] == reverse("admin:campaigns_campaign_report", args=[campaign.pk])
    sending.feed(campaign.pk)
    deliver_queued()
    report = client.get(response["Location"]).content.decode()
    assert "measured for fewer than 10 recipients who allowed it" in report
    assert "<th scope=\"row\">sent</th><td>12</td>" in report
    assert "<th scope=\"row\">opened</th><td>0</td>" in report


def test_erasure_deletes_the_recipients_rows_and_keeps_the_counts():
    """An erased subscriber's recipient row goes; the campaign's counters stay."""
    user, _ = subscribed(), subscribed()
    campaign = draft()
    services.queue_campaign(campaign.pk, actor="staff:1")
    sending.feed(campaign.pk)
    erasure.erase_subject(user.subject_id, actor="system:test")
    assert not Recipient.objects.filter(subject_id=user.subject_id).exists()
    campaign.refresh_from_db()
    assert campaign.queued_count == 2 and campaign.recipients_count == 2
