"""Requests from authorities (C26): recorded, approved by the compliance role only, disclosed
through the gate with the instrument as legal basis; a non-disclosure order hides it from the
subject until its end date."""

import datetime
import json

import pytest
from django.test import Client

from hostpact.core import clock
from hostpact.core.models import AuditEntry
from hostpact.privacy.disclosures import services
from hostpact.privacy.disclosures.models import AuthorityRequest, Disclosure, Recipient
from hostpact.privacy.disclosures.tests.helpers import not_gateway, others
from hostpact.testing import factories

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def _receive(subject_ids, **over):
    args = dict(authority="law-enforcement", instrument="court_order", reference="CO-2031-17",
                subjects=subject_ids, categories=["user.name", "user.contact.email"],
                actor="staff:abuse")
    args.update(over)
    return services.receive_authority_request(**args)


@pytest.mark.commitment("C26")
def test_only_compliance_may_approve(subscriber):
    """Support or abuse staff cannot approve or disclose; the request stays received."""
    request = _receive([subscriber.subject_id])
    for staff in (factories.make_staff(groups=["support"]),
                  factories.make_staff(groups=["abuse"])):
        with pytest.raises(services.NotAllowed):
            services.approve_authority_request(request, staff)
    with pytest.raises(services.NotAllowed):
        services.disclose_authority_request(request, factories.make_staff(groups=["abuse"]))
    request.refresh_from_db()
    assert request.status == AuthorityRequest.Status.RECEIVED and not others().exists()


@pytest.mark.commitment("C26")
def test_approved_request_is_disclosed_with_its_legal_basis(subscriber, other_subscriber):
    """After compliance approves, disclosing goes through the gate with the instrument and its
    reference as legal basis, and the package holds only the in-scope fields."""
    request = _receive([subscriber.subject_id])
    compliance = factories.make_staff(groups=["compliance"])
    with pytest.raises(services.InvalidState):
        services.disclose_authority_request(request, compliance)  # not approved yet
    services.approve_authority_request(request, compliance)
    disclosure, package = services.disclose_authority_request(request, compliance)
    assert disclosure.legal_basis == "Court order CO-2031-17"
    assert disclosure.authority_request_id == request.pk and disclosure.recipient.slug == (
        "law-enforcement")
    assert disclosure.purpose == "third_party_sharing.legal_obligation"
    request.refresh_from_db()
    assert request.status == AuthorityRequest.Status.DISCLOSED and request.decided_by == compliance
    [person] = package["subjects"]
    values = {i["field"]: i["value"] for i in person["items"]}
    assert values["accounts.Profile.name"] == subscriber.profile.name
    assert values["accounts.User.email"] == subscriber.email
    assert all(i["category"] in ("user.name", "user.contact.email") for i in person["items"])
    assert subscriber.profile.phone not in json.dumps(package)  # out of scope
    assert [d["legal_basis"] for d in not_gateway(services.for_subject(subscriber.subject_id))] == [
        "Court order CO-2031-17"]
    assert not_gateway(services.for_subject(other_subscriber.subject_id)) == []
    assert AuditEntry.objects.filter(action="legal_request.approve").exists()
    with pytest.raises(services.InvalidState):
        services.disclose_authority_request(request, compliance)  # only once


@pytest.mark.commitment("C26")
def test_rejected_request_discloses_nothing(subscriber):
    """A rejected request cannot be disclosed."""
    request = _receive([subscriber.subject_id], instrument="legal_process")
    compliance = factories.make_staff(superuser=True)
    services.reject_authority_request(request, compliance, note="Not a valid instrument here.")
    with pytest.raises(services.InvalidState):
        services.disclose_authority_request(request, compliance)
    assert not others().exists()


@pytest.mark.commitment("C26")
def test_non_disclosure_order_hides_until_its_end_date(subscriber):
    """Under a non-disclosure order the subject does not see the disclosure until the order's
    end date; compliance sees it throughout; then it appears."""
    compliance = factories.make_staff(groups=["compliance"])
    with clock.freeze(datetime.datetime(2031, 3, 1, 6, tzinfo=UTC)):
        request = _receive([subscriber.subject_id], instrument="subpoena",
                           ndo_until=datetime.date(2031, 6, 1))
        services.approve_authority_request(request, compliance)
        services.disclose_authority_request(request, compliance)
        assert not_gateway(services.for_subject(subscriber.subject_id)) == []
        assert len(not_gateway(services.for_subject(subscriber.subject_id,
                                                    for_subject_view=False))) == 1
        client = Client()
        client.force_login(subscriber)
        assert client.get("/api/v1/me/disclosures").json()["count"] == 1  # the card's only
        # The audit ledger does not name the subject either while the order runs.
        legal = Disclosure.objects.get(reference=f"legal_request:{request.pk}")
        assert not AuditEntry.objects.filter(action="disclosure.make",
                                             object_ref=f"disclosure:{legal.pk}",
                                             subject_id=subscriber.subject_id).exists()
    with clock.freeze(datetime.datetime(2031, 5, 31, 12, tzinfo=UTC)):
        assert not_gateway(services.for_subject(subscriber.subject_id)) == []
    with clock.freeze(datetime.datetime(2031, 6, 1, 6, tzinfo=UTC)):
        [row] = not_gateway(services.for_subject(subscriber.subject_id))
        assert row["legal_basis"] == "Subpoena CO-2031-17"
        assert client.get("/api/v1/me/disclosures").json()["count"] == 2


def test_bad_scope_is_refused_before_anything_is_recorded(subscriber):
    """An unknown category, no subject, or a recipient that is no authority records nothing."""
    with pytest.raises(ValueError, match="data_category"):
        _receive([subscriber.subject_id], categories=["user.nonsense"])
    with pytest.raises(ValueError, match="subjects"):
        _receive([])
    with pytest.raises(ValueError, match="authority"):
        _receive([subscriber.subject_id], authority="email-provider")
    assert not AuthorityRequest.objects.exists()


def test_admin_flow_records_approves_and_downloads_the_package(subscriber):
    """In the back office compliance records a request by customer ID, approves it and
    downloads the JSON package; support staff cannot open the pages."""
    client = Client()
    client.force_login(factories.make_staff(groups=["support"]))
    assert client.get("/admin/disclosures/authorityrequest/").status_code == 403
    client.force_login(factories.make_staff(groups=["compliance"]))
    assert client.get("/admin/disclosures/authorityrequest/add/").status_code == 200
    authority = Recipient.objects.get(slug="complainant")
    resp = client.post("/admin/disclosures/authorityrequest/add/", {
        "authority": authority.pk, "instrument": "terms", "reference": "ABUSE-9",
        "customers": subscriber.customer_id, "categories_text": "user.contact.email"})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    request = AuthorityRequest.objects.get()
    assert list(request.subjects.values_list("pk", flat=True)) == [subscriber.subject_id]
    url = "/admin/disclosures/authorityrequest/"
    client.post(url, {"action": "approve", "_selected_action": [request.pk]})
    resp = client.post(url, {"action": "disclose", "_selected_action": [request.pk]})
    assert resp["Content-Type"] == "application/json"
    package = json.loads(resp.content)
    assert package["legal_basis"].endswith("ABUSE-9")
    assert package["subjects"][0]["items"][0]["value"] == subscriber.email
    page = client.get(f"{url}{request.pk}/change/").content.decode()
    assert subscriber.customer_id in page and "Disclosed" in page
    assert subscriber.email not in page


@pytest.mark.commitment("C26")
def test_date_range_limits_the_package():
    """Rows made outside the request's date range are left out of the package."""
    with clock.freeze(datetime.datetime(2031, 3, 1, 6, tzinfo=UTC)):
        user = factories.make_subscriber()
    compliance = factories.make_staff(groups=["compliance"])
    before = _receive([user.subject_id], date_to=datetime.date(2031, 2, 28))
    within = _receive([user.subject_id], reference="CO-2031-18",
                      date_from=datetime.date(2031, 3, 1), date_to=datetime.date(2031, 3, 1))
    for request in (before, within):
        services.approve_authority_request(request, compliance)
    assert services.disclose_authority_request(before, compliance)[1]["subjects"][0]["items"] == []
    items = services.disclose_authority_request(within, compliance)[1]["subjects"][0]["items"]
    assert {i["value"] for i in items} >= {user.email}
