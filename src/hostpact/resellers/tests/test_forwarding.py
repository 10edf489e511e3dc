"""A reseller's customer who asks us for access, correction or deletion is sent to the
reseller's controller and, only with their consent, forwarded to its queue (C38); our own
customers' rights pages are unchanged."""

import pytest

from hostpact.accounts.tests.helpers import PASSWORD
from hostpact.core.models import AuditEntry, OutboxMessage
from hostpact.privacy.rights.models import ErasureJob
from hostpact.resellers.models import ForwardedRequest
from hostpact.resellers.services import forwarding
from hostpact.resellers.tests.helpers import make_customer, make_reseller
from hostpact.testing.factories import make_subscriber

pytestmark = [pytest.mark.django_db, pytest.mark.commitment("C38")]

CONTROLLER = dict(controller_name="Priya Data", controller_email="dpo@acme-hosting.example",
                  controller_address="7 Harbour Lane, Kochi 682001")


@pytest.fixture
def reseller():
    return make_reseller(name="Acme Hosting", host="acme.example", **CONTROLLER)


@pytest.fixture
def customer(reseller):
    return make_customer(reseller)


def _on(client, user, reseller):
    client.force_login(user)
    return {"HTTP_HOST": reseller.hosts.first().host}


def _token(client, user, host):
    resp = client.post("/api/v1/auth/token", {"email": user.email, "password": PASSWORD},
                       content_type="application/json", HTTP_HOST=host)
    assert resp.status_code == 200, resp.content
    return {"HTTP_AUTHORIZATION": f"Bearer {resp.json()['token']}", "HTTP_HOST": host}


def _mail_to_reseller():
    return [m for m in OutboxMessage.objects.all() if m.to_addr == CONTROLLER["controller_email"]]


@pytest.mark.parametrize("path", ["/panel/export/", "/panel/erase/"])
def test_the_rights_pages_show_the_resellers_controller_and_offer_to_forward(
        client, reseller, customer, path):
    """On the reseller's host the export and erasure pages name the reseller's controller
    (name, email, postal address) and link the forwarding form."""
    host = _on(client, customer, reseller)
    page = client.get(path, **host).content.decode()
    assert "Your request goes to Acme Hosting" in page
    for value in ("Priya Data", "dpo@acme-hosting.example", "7 Harbour Lane"):
        assert value in page
    assert "/panel/request-to-controller/?kind=" in page


def test_the_erasure_confirmation_of_a_resellers_customer_erases_nothing(
        client, reseller, customer):
    """Confirming erasure with the right password answers 403 with the controller; no
    erasure job exists and the account stays open."""
    host = _on(client, customer, reseller)
    resp = client.post("/panel/erase/", {"customer_id": customer.customer_id,
                                         "password": PASSWORD}, **host)
    assert resp.status_code == 403 and "Priya Data" in resp.content.decode()
    assert not ErasureJob.objects.exists()
    customer.refresh_from_db()
    assert customer.is_active


def test_the_export_page_shows_only_registration_data_to_a_resellers_customer(
        client, reseller, customer):
    """The export page holds no relationship data of the reseller's (the customer's name),
    and its zip link is refused with the controller."""
    host = _on(client, customer, reseller)
    page = client.get("/panel/export/", **host).content.decode()
    assert customer.profile.name not in page
    resp = client.post("/panel/export/link/", **host)
    assert resp.status_code == 403 and "dpo@acme-hosting.example" in resp.content.decode()


def test_our_own_customers_rights_pages_are_unchanged(client, reseller):
    """Our own customer gets their export and the erasure form, with no controller named."""
    user = make_subscriber()
    client.force_login(user)
    export = client.get("/panel/export/").content.decode()
    assert "Export my data" in export and user.profile.name in export
    assert "Controller: hostpact" in export
    erase = client.get("/panel/erase/").content.decode()
    assert "Erase my account" in erase and "Acme Hosting" not in erase


def test_the_api_answers_controller_is_reseller_and_does_not_act(client, reseller, customer):
    """GET /me/export and POST /me/erasure answer 403 problem+json with the controller's
    contact; no erasure job exists and no export is recorded."""
    auth = _token(client, customer, "acme.example")
    for resp in (client.get("/api/v1/me/export", **auth),
                 client.post("/api/v1/me/erasure", **auth)):
        assert resp.status_code == 403
        assert resp["Content-Type"].startswith("application/problem+json")
        body = resp.json()
        assert body["code"] == "controller_is_reseller"
        assert body["controller"]["name"] == "Acme Hosting"
        assert body["controller"]["email"] == "dpo@acme-hosting.example"
        assert body["controller"]["address"] == "7 Harbour Lane, Kochi 682001"
    assert not ErasureJob.objects.exists()
    assert not AuditEntry.objects.filter(action="rights.export").exists()


def test_forwarding_needs_the_ticked_consent(client, reseller, customer):
    """Without the consent box the form answers 400 naming it, and nothing is recorded or
    mailed; with it the request is recorded with the consent text, mailed to the reseller's
    controller and waits in its queue."""
    host = _on(client, customer, reseller)
    form = client.get("/panel/request-to-controller/?kind=deletion", **host).content.decode()
    assert "Forward my request, my customer ID and this message to Acme Hosting" in form
    data = {"kind": "deletion", "message": "Please delete my old address."}
    resp = client.post("/panel/request-to-controller/", data, **host)
    assert resp.status_code == 400 and "Tick the box" in resp.content.decode()
    assert not ForwardedRequest.objects.exists() and not _mail_to_reseller()

    resp = client.post("/panel/request-to-controller/", {**data, "consent": "on"}, **host)
    assert resp.status_code == 200 and "was forwarded" in resp.content.decode()
    fr = ForwardedRequest.objects.get()
    assert (fr.kind, fr.channel, fr.subject_id) == ("deletion", "panel", customer.subject_id)
    assert fr.consent_text == forwarding.consent_text(reseller) and fr.consented_at
    assert list(forwarding.open_requests(reseller)) == [fr]
    [mail] = _mail_to_reseller()
    assert customer.customer_id in mail.body and "Please delete my old address." in mail.body
    assert AuditEntry.objects.filter(action="resellers.request.forward",
                                     subject_id=customer.subject_id).exists()


def test_the_api_forwards_only_with_consent(client, reseller, customer):
    """POST /me/controller-requests without consent (or with false) is 400 naming it; with
    ``consent: true`` it is 201 and in the reseller's queue."""
    auth = _token(client, customer, "acme.example")
    for body in ({"kind": "access"}, {"kind": "access", "consent": False}):
        resp = client.post("/api/v1/me/controller-requests", body,
                           content_type="application/json", **auth)
        assert resp.status_code == 400 and "consent" in resp.json()["errors"]
    assert not ForwardedRequest.objects.exists()
    resp = client.post("/api/v1/me/controller-requests",
                       {"kind": "correction", "message": "My name is misspelt.",
                        "consent": True}, content_type="application/json", **auth)
    assert resp.status_code == 201, resp.content
    assert resp.json()["controller"] == "Acme Hosting"
    fr = ForwardedRequest.objects.get(pk=resp.json()["id"])
    assert (fr.kind, fr.channel) == ("correction", "api")
    bad = client.post("/api/v1/me/controller-requests", {"kind": "refund", "consent": True},
                      content_type="application/json", **auth)
    assert bad.status_code == 400 and "kind" in bad.json()["errors"]


def test_answering_a_forwarded_request_takes_it_off_the_queue(reseller, customer):
    """The reseller's answer marks the request answered, by whom and when; it leaves the
    open queue."""
    fr = forwarding.forward_request(reseller, customer, kind="access", channel="panel",
                                    consent_text="yes", actor="subscriber:1")
    done = forwarding.answer_forwarded(fr, actor="reseller-user:9")
    assert done.state == ForwardedRequest.State.ANSWERED and done.answered_by == "reseller-user:9"
    assert not forwarding.open_requests(reseller).exists()


def test_another_resellers_customer_cannot_be_forwarded_to_this_one(reseller):
    """A customer of another reseller (or ours) is refused, naming the customer."""
    stranger = make_customer(make_reseller())
    with pytest.raises(forwarding.ForwardingError) as exc:
        forwarding.forward_request(reseller, stranger, kind="access", channel="panel",
                                   consent_text="yes", actor="system")
    assert exc.value.field == "customer"
    assert not ForwardedRequest.objects.exists()
