"""Co-marketing export (C23): contact data of subscribers who did not opt out, through the gate;
a request with any billing field is refused whole and produces nothing."""

import csv
import io

import pytest

from hostpact.privacy.disclosures.models import Disclosure, DisclosureRefusal
from hostpact.privacy.disclosures.services import DisclosureRefused, export_comarketing
from hostpact.testing import factories

pytestmark = pytest.mark.django_db


def _rows(text):
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.commitment("C23")
def test_contact_export_lists_subscribers_and_records_the_disclosure():
    """Name and email of every subscriber go to the partner, recorded as one disclosure of
    contact categories for promotion, listed for each subscriber."""
    a = factories.make_subscriber(name="Mira Partnertest", email="mira@example.test")
    b = factories.make_subscriber()
    factories.make_staff()
    export = export_comarketing("co-marketing-partner", ["name", "email"], actor="staff:1")
    rows = _rows(export.csv())
    assert rows[0] == ["name", "email"]
    assert ["Mira Partnertest", "mira@example.test"] in rows and len(rows) == 3
    d = export.disclosure
    assert d.categories == ["user.name", "user.contact.email"]
    assert d.purpose == "marketing.communications.email.promotions"
    assert d.legal_basis == "Co-marketing agreement CMA-2010-01"
    assert set(d.links.values_list("subject_id", flat=True)) == {a.subject_id, b.subject_id}


@pytest.mark.commitment("C23")
@pytest.mark.parametrize("billing", ["card", "billing_address", "invoice_total",
                                     "billing_email"])
def test_any_billing_field_refuses_the_whole_request(billing):
    """A request naming contact columns plus one billing column is refused whole: no CSV, no
    disclosure, a recorded refusal."""
    factories.make_subscriber()
    with pytest.raises(DisclosureRefused) as info:
        export_comarketing("co-marketing-partner", ["name", "email", billing], actor="staff:1")
    assert info.value.code == "billing"
    assert not Disclosure.objects.filter(recipient__slug="co-marketing-partner").exists()
    refusal = DisclosureRefusal.objects.get()
    assert refusal.recipient_slug == "co-marketing-partner" and "user.name" in refusal.categories


@pytest.mark.commitment("C23")
def test_partner_gets_no_financial_category_even_through_the_gate(subscriber):
    """Even called directly, the gate refuses the partner any financial category."""
    from hostpact.privacy import disclose

    with pytest.raises(DisclosureRefused) as info:
        disclose("co-marketing-partner", [subscriber.subject_id],
                 ["user.contact.email", "user.financial"],
                 "marketing.communications.email.promotions", "", actor="staff:1")
    assert info.value.code == "category"


def test_field_not_collected_for_promotion_is_refused():
    """The phone number is not declared for promotion in the data map, so it is refused."""
    with pytest.raises(DisclosureRefused) as info:
        export_comarketing("co-marketing-partner", ["name", "phone"], actor="staff:1")
    assert info.value.code == "purpose"


def test_opted_out_subscriber_is_left_out(monkeypatch):
    """A subscriber for whom ``privacy.allowed`` denies partner promotions (an opt-out) is not
    in the export, nor linked to its disclosure."""
    from hostpact.privacy.disclosures.services import partner_use
    from hostpact.privacy.policy import services as policy

    keep, leave = factories.make_subscriber(), factories.make_subscriber()
    asked = []

    def allowed(subject, use):
        asked.append(use)
        return subject != leave.subject_id

    monkeypatch.setattr(policy, "allowed", allowed)
    export = export_comarketing("co-marketing-partner", ["email"], actor="staff:1")
    assert _rows(export.csv())[1:] == [[keep.email]]
    assert list(export.disclosure.links.values_list("subject_id", flat=True)) == [
        keep.subject_id]
    assert set(asked) == {partner_use()}


@pytest.mark.commitment("C23")
def test_backoffice_page_downloads_csv_and_refuses_billing(client):
    """The staff page returns the CSV for contact columns and re-renders with the refusal
    for a billing column; a subscriber cannot open it."""
    factories.make_subscriber(email="page@example.test")
    user = factories.make_subscriber()
    client.force_login(user)
    assert client.get("/backoffice/comarketing/").status_code == 302
    client.force_login(factories.make_staff(groups=["marketing"]))
    assert client.get("/backoffice/comarketing/").status_code == 200
    resp = client.post("/backoffice/comarketing/", {"partner": "co-marketing-partner",
                                                    "columns": ["name", "email"]})
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/csv")
    assert "page@example.test" in resp.content.decode()
    resp = client.post("/backoffice/comarketing/", {"partner": "co-marketing-partner",
                                                    "columns": ["email", "card"]})
    assert resp.status_code == 400
    assert "billing information" in resp.content.decode()
    assert Disclosure.objects.filter(recipient__slug="co-marketing-partner").count() == 1


@pytest.mark.commitment("C23")
def test_cli_writes_csv_and_refuses_billing(tmp_path):
    """``hostpact comarketing_export`` writes the contact CSV; with a billing column it fails
    and writes no file."""
    from django.core.management import CommandError, call_command

    factories.make_subscriber(email="cli@example.test")
    out = tmp_path / "partner.csv"
    call_command("comarketing_export", "--out", str(out))
    assert "cli@example.test" in out.read_text()
    refused = tmp_path / "refused.csv"
    with pytest.raises(CommandError, match="billing"):
        call_command("comarketing_export", "--columns", "email,card", "--out", str(refused))
    assert not refused.exists()
