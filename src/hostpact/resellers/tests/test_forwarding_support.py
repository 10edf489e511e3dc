"""Requests a reseller's customer makes to our support by email or phone are routed to the
reseller's controller (C38): staff cannot carry out a data-subject request for them, but forward
it with the customer's recorded consent."""

import pytest

from hostpact.privacy.rights.models import ErasureJob
from hostpact.privacy.subject_requests import services as requests
from hostpact.privacy.subject_requests.services.states import RequestError
from hostpact.privacy.subject_requests.tests.helpers import verified
from hostpact.resellers.models import ForwardedRequest
from hostpact.resellers.tests.helpers import make_customer, make_reseller, make_staff
from hostpact.support.actions import actions_for
from hostpact.support.models import Ticket
from hostpact.support.tests.helpers import deliver, mail
from hostpact.testing.factories import make_subscriber

pytestmark = [pytest.mark.django_db, pytest.mark.commitment("C38")]


@pytest.fixture
def reseller():
    return make_reseller(name="Acme Hosting", controller_email="dpo@acme-hosting.example")


@pytest.fixture
def staff():
    return make_staff(groups=["support"])


@pytest.mark.parametrize("kind", ["access", "erasure", "correction"])
def test_staff_cannot_carry_out_a_request_of_a_resellers_customer(reseller, staff, kind):
    """A verified request in progress is refused, naming the reseller and its controller and
    the page that forwards it; nothing is exported or erased."""
    customer = make_customer(reseller)
    dsr = verified(staff, customer, kind=kind)
    step = {"access": lambda: requests.fulfil_access(dsr, staff),
            "erasure": lambda: requests.fulfil_erasure(dsr, staff),
            "correction": lambda: requests.apply_correction(dsr, staff, {"name": "X"})}[kind]
    with pytest.raises(RequestError) as exc:
        step()
    text = str(exc.value)
    assert "Acme Hosting" in text and "dpo@acme-hosting.example" in text
    assert f"/backoffice/resellers/forward/request/{dsr.pk}/" in text
    dsr.refresh_from_db()
    assert dsr.export_ready_at is None and not ErasureJob.objects.exists()


def test_our_own_customers_request_is_still_carried_out(staff):
    """Our own customer's access request produces the export as before."""
    dsr = verified(staff, make_subscriber(), kind="access")
    assert requests.fulfil_access(dsr, staff).export_ready_at is not None


def test_a_phone_request_is_forwarded_with_the_recorded_consent(client, reseller, staff):
    """The request's forwarding page names the controller; without the consent ticked
    nothing is recorded; with it the request is in the reseller's queue, channel phone."""
    customer = make_customer(reseller)
    dsr = verified(staff, customer, kind="erasure", channel="phone")
    client.force_login(staff)
    url = f"/backoffice/resellers/forward/request/{dsr.pk}/"
    page = client.get(url).content.decode()
    assert "dpo@acme-hosting.example" in page and customer.customer_id in page
    data = {"customer": customer.customer_id, "kind": "deletion", "channel": "phone",
            "message": "Delete my account, please."}
    resp = client.post(url, data)
    assert resp.status_code == 400 and "consent" in resp.content.decode()
    assert not ForwardedRequest.objects.exists()
    resp = client.post(url, {**data, "consent": "on"})
    assert resp.status_code == 302
    fr = ForwardedRequest.objects.get()
    assert (fr.reseller, fr.subject_id, fr.channel, fr.kind) == (
        reseller, customer.subject_id, "phone", "deletion")


def test_a_support_ticket_offers_the_routing_and_forwards_by_customer_id(
        client, reseller, staff):
    """A support ticket shows "Send to the reseller's controller"; its page finds the
    reseller's customer by the ID they gave and forwards with channel support; our own
    customer's ID is refused, naming the field."""
    deliver(mail(subject="Please send me my data"))
    ticket = Ticket.objects.get()
    [(label, url)] = [a for a in actions_for(ticket) if a[0].startswith("Send to")]
    customer = make_customer(reseller)
    client.force_login(staff)
    ours = client.post(url, {"customer": make_subscriber().customer_id, "kind": "access",
                             "channel": "support", "consent": "on"})
    assert ours.status_code == 400 and "No reseller&#x27;s customer has this ID" in (
        ours.content.decode())
    resp = client.post(url, {"customer": customer.customer_id, "kind": "access",
                             "channel": "support", "consent": "on"})
    assert resp.status_code == 302
    assert ForwardedRequest.objects.get().channel == "support"


def test_the_routing_pages_are_for_support_and_compliance_only(client, reseller):
    """A staff member without those roles is sent to log in; nothing is recorded."""
    customer = make_customer(reseller)
    dsr = verified(make_staff(groups=["support"]), customer, kind="access")
    client.force_login(make_staff(groups=["marketing"]))
    resp = client.post(f"/backoffice/resellers/forward/request/{dsr.pk}/",
                       {"customer": customer.customer_id, "kind": "access",
                        "channel": "support", "consent": "on"})
    assert resp.status_code == 302 and "/login/" in resp["Location"]
    assert not ForwardedRequest.objects.exists()
