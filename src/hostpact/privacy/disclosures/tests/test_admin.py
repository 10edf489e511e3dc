"""The back office of the gate: compliance manages recipients and agreements (audited), reads
the ledgers; other staff cannot open them."""

import pytest
from django.test import Client

from hostpact.core.models import AuditEntry
from hostpact.privacy import disclose
from hostpact.privacy.disclosures.models import Recipient
from hostpact.testing import factories

pytestmark = pytest.mark.django_db


def _client(**staff):
    client = Client()
    client.force_login(factories.make_staff(**staff))
    return client


def test_compliance_edits_a_recipient_and_bad_keys_are_refused(subscriber):
    """Changing a recipient's categories goes through the audited service; an unknown key is
    refused with a message naming the field."""
    client = _client(groups=["compliance"])
    partner = Recipient.objects.get(slug="co-marketing-partner")
    url = f"/admin/disclosures/recipient/{partner.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "user.contact" in page.content.decode()
    agreement = partner.agreements.get()
    form = {"slug": partner.slug, "name": partner.name, "kind": partner.kind, "role": "",
            "active": "on", "categories_text": "user.name\nuser.contct",
            "purposes_text": "marketing.communications.email.promotions",
            "agreements-TOTAL_FORMS": "1", "agreements-INITIAL_FORMS": "1",
            "agreements-MIN_NUM_FORMS": "0", "agreements-MAX_NUM_FORMS": "1000",
            "agreements-0-id": agreement.pk, "agreements-0-recipient": partner.pk,
            "agreements-0-kind": agreement.kind, "agreements-0-reference": agreement.reference,
            "agreements-0-signed_on": "2010-01-01", "agreements-0-valid_from": "2010-01-01",
            "agreements-0-valid_until": "", "agreements-0-confidentiality": "on"}
    resp = client.post(url, form)
    assert resp.status_code == 200 and "is not a data category key" in resp.content.decode()
    form["categories_text"] = "user.name"
    assert client.post(url, form).status_code == 302
    partner.refresh_from_db()
    assert partner.allowed_categories == ["user.name"]
    assert AuditEntry.objects.filter(action="disclosure.recipient.save").exists()


def test_ledgers_are_read_only_and_compliance_only(subscriber):
    """Compliance reads the disclosure and refusal ledgers; support staff get 403."""
    disclose("email-provider", [subscriber.subject_id], ["user.contact.email"],
             "essential.service.notifications.email", "", actor="system:test")
    client = _client(groups=["compliance"])
    for url in ("/admin/disclosures/disclosure/", "/admin/disclosures/disclosurerefusal/",
                "/admin/disclosures/recipient/"):
        assert client.get(url).status_code == 200
        assert _client(groups=["support"]).get(url).status_code == 403
    assert client.get("/admin/disclosures/disclosure/add/").status_code == 403
