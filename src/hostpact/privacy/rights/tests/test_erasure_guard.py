"""Writes that arrive once a subscriber's erasure has begun are refused, with nothing written:
every write service, the API (410 ``erasure_started``) and the web pages."""

import datetime

import pytest
from django.urls import reverse

from hostpact.accounts import services as accounts
from hostpact.accounts.models import Profile
from hostpact.billing import services as billing
from hostpact.billing.gateway import CardToken
from hostpact.billing.models import Invoice, Service
from hostpact.core import audit, clock
from hostpact.core.models import AuditEntry
from hostpact.panel import services as panel
from hostpact.privacy.policy import services as policy
from hostpact.privacy.policy.tests.helpers import NEW_USE, T0, publish_material
from hostpact.privacy.rights.erasure import services as erasure
from hostpact.privacy.rights.guard import SubjectErased, lock_subject_for_write
from hostpact.privacy.rights.tests.helpers import price, subscriber_with_invoice
from hostpact.testing import factories

pytestmark = pytest.mark.django_db

CARD = CardToken(gateway="test", token="tok_racing", brand="visa", last4="4242", exp_month=12,
                 exp_year=2031)

WRITES = {
    "profile": lambda u, a: accounts.update_profile(u, {"name": "Late Name"}, a),
    "email change": lambda u, a: accounts.request_email_change(u, "late@example.test", a),
    "password": lambda u, a: accounts.set_password(u, "a-late-password-9", a),
    "api token": lambda u, a: accounts.issue_api_token(u),
    "two-factor": lambda u, a: accounts.start_totp(u),
    "backup codes": lambda u, a: accounts.regenerate_backup_codes(u),
    "two-factor off": lambda u, a: accounts.disable_two_factor(u, a),
    "card": lambda u, a: billing.add_payment_method(u, CARD, a),
    "order": lambda u, a: billing.place_order(u, price(), a),
    "billing address": lambda u, a: billing.set_billing_address(
        u, {"name": "Late", "line1": "1 Late Road", "city": "Pune", "postal_code": "411001",
            "country": "IN"}, a),
    "account (PATCH /me)": lambda u, a: panel.update_account(u, a, profile={"name": "L"}),
}


def _opened(user):
    """Open the user's erasure job (as the request does) without running it yet."""
    return erasure.open_job(user.subject_id, actor="system:test", reason="staff")


@pytest.mark.parametrize("write", sorted(WRITES))
def test_every_write_service_refuses_once_the_erasure_job_is_open(write):
    """After the job opens, each write service of the subscriber raises ``SubjectErased`` and
    writes nothing: no audit event follows the erasure request."""
    user = factories.make_subscriber()
    _opened(user)
    before = AuditEntry.objects.count()
    with pytest.raises(SubjectErased):
        WRITES[write](user, audit.actor_of(user))
    assert AuditEntry.objects.count() == before


def test_opt_outs_payments_and_renewals_are_refused_once_the_erasure_job_is_open():
    """Policy opt-outs and paying an invoice are refused too, and a service due to renew is
    not invoiced again."""
    with clock.freeze(T0):
        publish_material()
        user, invoice = subscriber_with_invoice()
        unpaid = billing.place_order(user, price(), audit.actor_of(user)).invoice
        _opened(user)
        with pytest.raises(SubjectErased):
            policy.set_use(user.subject_id, NEW_USE, on=False, actor="system:test")
        with pytest.raises(SubjectErased):
            billing.pay_invoice(unpaid, audit.actor_of(user))
    service = Service.objects.get(order=invoice.order)
    with clock.freeze(service.renews_at - datetime.timedelta(days=1)):
        assert billing.services_due_for_renewal() == [service.pk]
        assert billing.issue_renewal_invoice(service.pk) is None
    assert Invoice.objects.filter(subject_id=user.subject_id).count() == 2
    assert Invoice.objects.get(pk=unpaid.pk).status == Invoice.Status.OPEN
    assert policy.opted_out_uses(user.subject_id) == set()


def test_a_closed_account_refuses_writes_without_an_erasure_job():
    """An inactive account is refused as well: there is nothing to write to."""
    user = factories.make_subscriber()
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(SubjectErased):
        accounts.update_profile(user, {"name": "Late Name"}, audit.actor_of(user))


def test_a_write_before_the_job_opens_goes_through():
    """Until the erasure opens its job, the guard lets writes through and returns the user."""
    from django.db import transaction

    user = factories.make_subscriber()
    with transaction.atomic():
        assert lock_subject_for_write(user.subject_id).pk == user.pk


def test_api_writes_answer_410_once_the_erasure_job_is_open(client):
    """PATCH /me, POST /orders and paying answer 410 problem+json ``erasure_started`` for a
    bearer token issued before the job opened, and change nothing."""
    user, invoice = subscriber_with_invoice()
    unpaid = billing.place_order(user, price(), audit.actor_of(user)).invoice
    raw, _ = accounts.issue_api_token(user)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    name = user.profile.name
    _opened(user)
    invoices = Invoice.objects.filter(subject_id=user.subject_id).count()
    answers = [
        client.patch("/api/v1/me", {"name": "Late Name"}, content_type="application/json",
                     **auth),
        client.post("/api/v1/orders", {"price_id": price().pk},
                    content_type="application/json", **auth),
        client.post(f"/api/v1/invoices/{unpaid.number}/pay", **auth),
    ]
    for resp in answers:
        assert resp.status_code == 410, resp.content
        assert resp["Content-Type"].startswith("application/problem+json")
        assert resp.json()["code"] == "erasure_started"
    assert Profile.objects.get(user=user).name == name
    assert Invoice.objects.filter(subject_id=user.subject_id).count() == invoices
    assert Invoice.objects.get(pk=unpaid.pk).status == Invoice.Status.OPEN


def test_web_pages_say_the_account_is_being_erased(client):
    """The contact form, ordering and paying answer 410 with a page saying why, nothing
    changed."""
    user, invoice = subscriber_with_invoice()
    unpaid = billing.place_order(user, price(), audit.actor_of(user)).invoice
    client.force_login(user)
    name = user.profile.name
    _opened(user)
    contact = {k: getattr(user.profile, k) or "" for k in accounts.PROFILE_FIELDS}
    contact.update(name="Late Name", date_of_birth=user.profile.date_of_birth.isoformat())
    answers = [
        client.post(reverse("accounts:contact"), contact),
        client.post(reverse("billing:order", args=[price().pk]), {"quantity": 1}),
        client.post(reverse("billing:invoice-pay", args=[unpaid.number])),
    ]
    for resp in answers:
        assert resp.status_code == 410, resp.content[:300]
        assert b"This account is being erased" in resp.content
    assert Profile.objects.get(user=user).name == name
    assert Invoice.objects.get(pk=unpaid.pk).status == Invoice.Status.OPEN
