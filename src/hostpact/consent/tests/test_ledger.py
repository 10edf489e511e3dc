"""The consent ledger: append-only receipts, linked to a subscriber, shown and exported,
and only unlinked by erasure (C06)."""

import pytest
from django.urls import reverse

from hostpact.accounts.models import User
from hostpact.accounts.tests.helpers import web_login
from hostpact.consent import services, state
from hostpact.consent.models import ConsentRecord
from hostpact.core import crypto
from hostpact.core.models import AuditEntry
from hostpact.privacy.rights.erasure import services as erasure
from hostpact.storefront.tests.helpers import SIGNUP

pytestmark = pytest.mark.django_db


def test_receipts_are_append_only():
    """A receipt cannot be rewritten or deleted; only its link may change."""
    row = services.record_choice("b" * 32, ["required"], method="reject")
    row.method = "accept"
    with pytest.raises(ValueError, match="append-only"):
        row.save()
    with pytest.raises(ValueError, match="append-only"):
        row.delete()


def test_a_receipt_holds_no_ip_or_user_agent(client):
    """The ledger has no column for an address or a browser, and no value of one."""
    client.post(reverse("consent:choose"), {"action": "accept"}, REMOTE_ADDR="203.0.113.9",
                HTTP_USER_AGENT="TestBrowser/1.0")
    names = {f.name for f in ConsentRecord._meta.get_fields()}
    assert not names & {"ip", "ip_address", "user_agent", "address"}
    values = str(list(ConsentRecord.objects.values()))
    assert "203.0.113.9" not in values and "TestBrowser" not in values


def test_an_anonymous_choice_is_linked_to_the_account_at_login(client, subscriber):
    """Logging in links the visitor's earlier receipts to the subscriber, with an audit event."""
    client.post(reverse("consent:choose"), {"action": "reject"})
    assert ConsentRecord.objects.get().subject_id is None
    web_login(client, subscriber)
    assert ConsentRecord.objects.get().subject_id == subscriber.subject_id
    assert AuditEntry.objects.filter(action="consent.link",
                                     subject_id=subscriber.subject_id).exists()


def test_a_choice_while_signed_in_is_linked_and_audited(client, subscriber):
    """A subscriber's own choice is linked at once and audited."""
    web_login(client, subscriber)
    client.post(reverse("consent:choose"), {"action": "save", "categories": ["functional"]})
    row = ConsentRecord.objects.get()
    assert row.subject_id == subscriber.subject_id
    assert AuditEntry.objects.filter(action="consent.record", object_ref=f"consent:{row.pk}",
                                     subject_id=subscriber.subject_id).exists()


def test_my_information_and_the_export_show_the_consents(client, subscriber):
    """The subscriber's receipts appear under "Cookie choices" in My information and in the
    export."""
    web_login(client, subscriber)
    client.post(reverse("consent:choose"), {"action": "save", "categories": ["performance"]})
    page = client.get(reverse("panel:information")).content.decode()
    assert "Cookie choices" in page
    assert "Saved choices: granted required, performance; refused functional, advertising" in page
    export = str(client.get("/api/v1/me/export").json())
    assert "granted required, performance; refused functional, advertising" in export


def test_erasure_unlinks_the_receipts_and_keeps_them(subscriber):
    """Erasing the subscriber leaves the receipts as anonymous evidence, linked to no one."""
    consent_id = state.new_consent_id()
    services.record_choice(consent_id, ["required", "performance"], method="save")
    services.link_consents(consent_id, subscriber)
    erasure.erase_subject(subscriber.subject_id, actor="system:test", reason="staff")
    row = ConsentRecord.objects.get(consent_id=consent_id)
    assert row.subject_id is None
    assert row.granted == ["required", "performance"] and row.method == "save"


def test_the_banner_text_digest_is_of_the_text_shown(client):
    """The receipt's SHA-256 is that of the banner text a visitor saw, GPC variant included."""
    import hashlib
    import re

    from django.utils.html import strip_tags

    html = client.get(reverse("storefront:home")).content.decode()
    banner = re.search(r'<div id="hp-consent".*?</form>\s*</div>', html, re.S).group(0)
    shown = re.sub(r"\s+", " ", strip_tags(banner)).strip()
    client.post(reverse("consent:choose"), {"action": "reject"})
    row = ConsentRecord.objects.get()
    assert row.banner_sha256 == hashlib.sha256(shown.encode()).hexdigest()
    assert services.banner.text_sha256(True) != row.banner_sha256


def test_a_choice_made_before_sign_up_is_linked_to_the_new_account(client, settings):
    """A visitor who chose, then signed up, finds that choice under their account."""
    settings.SIGNUP_RATE_PER_HOUR = 1000
    client.post(reverse("consent:choose"), {"action": "reject"})
    assert client.post(reverse("panel:signup"), {**SIGNUP, "email": "chooser@example.test"}
                       ).status_code == 302
    user = User.objects.get(email_index=crypto.blind_index("email", "chooser@example.test"))
    assert ConsentRecord.objects.get(method="reject").subject_id == user.subject_id
