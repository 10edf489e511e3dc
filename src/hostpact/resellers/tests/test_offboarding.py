"""Retention per relationship (C41): a reseller's customer's data stays while a service to them
runs; when the last one ends, or the relationship does, it is offered to the reseller, then
deleted after the grace period, except tax invoices and what a legal hold keeps, each listed
with its basis and end, and released by the retention task."""

import datetime

import pytest
from django.contrib.auth.models import Group

from hostpact.billing import services as billing
from hostpact.billing.models import Order
from hostpact.core import audit, clock
from hostpact.core.models import AuditEntry, OutboxMessage
from hostpact.privacy.rights import services as rights
from hostpact.privacy.rights.models import ErasureJob
from hostpact.privacy.rights.tasks import run_retention
from hostpact.privacy.rights.tests.helpers import price
from hostpact.resellers import tasks
from hostpact.resellers.models import Offboarding, Reseller
from hostpact.resellers.services import exports, offboarding
from hostpact.resellers.services.resellers import selling_refusal
from hostpact.resellers.tests.helpers import make_customer, make_reseller, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.commitment("C41")]

T0 = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def days(n: int) -> datetime.datetime:
    return T0 + datetime.timedelta(days=n)


def paying_customer(reseller):
    """A customer with one paid, running service; return it, the order and its invoice."""
    customer = make_customer(reseller)
    placed = billing.place_order(customer, price(), audit.actor_of(customer))
    billing.pay_invoice(placed.invoice, audit.actor_of(customer))
    return customer, Order.objects.get(subject_id=customer.subject_id), placed.invoice


def end_service(order):
    billing.refund_order(order, actor="staff:1", reason="Customer left")


def offer_mails(reseller) -> list:
    return [m for m in OutboxMessage.objects.all() if m.to_addr == reseller.controller_email]


def test_the_last_service_ending_offers_the_data_then_deletes_it_after_the_grace():
    """A refund cancels the customer's only service: the data is offered to the reseller (a
    mail to its controller), the export marks it downloaded, and the daily run erases the
    customer through the rights engine only once 30 days have passed, keeping the tax
    invoice with its basis and date in the report."""
    with clock.freeze(T0):  # the reseller agreement in force from then
        reseller = make_reseller()
        customer, order, invoice = paying_customer(reseller)
        assert not Offboarding.objects.exists()  # a running service: nothing to offboard
        end_service(order)
    ob = Offboarding.objects.get(subject_id=customer.subject_id)
    assert ob.reason == offboarding.SERVICES_ENDED and ob.delete_after == days(30)
    assert len(offer_mails(reseller)) == 1 and "export" in offer_mails(reseller)[0].body
    with clock.freeze(days(2)):
        document = exports.export_customer(reseller, customer, actor="reseller-user:1")
    assert document["sections"]
    ob.refresh_from_db()
    assert ob.exported_at == days(2)
    with clock.freeze(days(29)):
        assert tasks.run_offboarding.call() == 0
    assert not ErasureJob.objects.filter(subject_id=customer.subject_id).exists()
    with clock.freeze(days(30)):
        assert tasks.run_offboarding.call() == 1
        assert tasks.run_offboarding.call() == 0
    ob.refresh_from_db()
    assert ob.state == Offboarding.State.DELETED and ob.deleted_at == days(30)
    job = ErasureJob.objects.get(subject_id=customer.subject_id)
    assert job.state == ErasureJob.State.DONE and job.reason == ErasureJob.Reason.RESELLER
    invoice = [k for k in ob.report["kept"] if k["model"] == "billing.Invoice"]
    assert invoice and invoice[0]["basis"].startswith("Companies Act 2013")
    assert invoice[0]["until"] >= "2034-03-01"


def test_ending_the_relationship_offboards_every_customer_and_stops_the_selling():
    """Ending a relationship: the reseller is "ended" and may not sell, each customer gets an
    offboarding (one mail to the reseller listing them); ending it again offers nothing."""
    reseller = make_reseller()
    customers = [make_customer(reseller) for _ in range(3)]
    other = make_reseller()
    make_customer(other)
    with clock.freeze(T0):
        opened = offboarding.end_relationship(reseller, actor="staff:1")
    reseller.refresh_from_db()
    assert reseller.state == Reseller.State.ENDED and reseller.ended_at == T0
    assert selling_refusal(reseller)
    assert {ob.subject_id for ob in opened} == {c.subject_id for c in customers}
    assert {ob.reason for ob in opened} == {offboarding.RELATIONSHIP_ENDED}
    assert not Offboarding.objects.filter(reseller=other).exists()
    mails = offer_mails(reseller)
    assert len(mails) == 1 and all(c.customer_id in mails[0].body for c in customers)
    assert offboarding.end_relationship(reseller, actor="staff:1") == []
    with clock.freeze(days(31)):
        assert offboarding.run_offboarding() == 3
    for customer in customers:
        customer.refresh_from_db()
        assert not customer.is_active


def test_a_new_service_in_the_grace_period_cancels_the_offboarding():
    """A customer who pays for a new service during the grace period keeps their data: the
    offboarding is cancelled (audited) and the daily run erases nothing."""
    reseller = make_reseller()
    with clock.freeze(T0):
        customer, order, invoice = paying_customer(reseller)
        end_service(order)
    with clock.freeze(days(10)):
        placed = billing.place_order(customer, price(), audit.actor_of(customer))
        billing.pay_invoice(placed.invoice, audit.actor_of(customer))
    ob = Offboarding.objects.get(subject_id=customer.subject_id)
    assert ob.state == Offboarding.State.CANCELLED
    assert AuditEntry.objects.filter(action="resellers.offboarding.cancel",
                                     object_ref=f"offboarding:{ob.pk}").exists()
    with clock.freeze(days(40)):
        assert offboarding.run_offboarding() == 0
    assert not ErasureJob.objects.filter(subject_id=customer.subject_id).exists()


def test_a_record_hold_is_kept_and_listed_with_its_basis_and_end():
    """A dispute held on the customer's invoice: the deletion erases the rest and the report
    lists the hold (basis and end) beside the tax keep."""
    Group.objects.get_or_create(name="compliance")
    staff = make_staff(groups=["compliance"])
    reseller = make_reseller()
    with clock.freeze(T0):
        customer, order, invoice = paying_customer(reseller)
        rights.place_hold(actor=staff, reason="dispute", record_model="billing.invoice",
                          record_pk=invoice.pk, ends_at=days(90), reference="CASE-3")
        end_service(order)
    with clock.freeze(days(30)):
        assert offboarding.run_offboarding() == 1
    ob = Offboarding.objects.get(subject_id=customer.subject_id)
    assert ob.report["holds"] == [{"item": "Invoice", "role": "compliance",
                                   "basis": "A dispute",
                                   "until": days(90).date().isoformat()}]


def test_a_held_customer_is_deleted_by_the_retention_task_after_the_hold_ends():
    """A hold on the whole customer (enforcement of an agreement) pauses the deletion: the
    offboarding stays offered with the hold's reason; once the hold ends the retention task
    finishes the erasure and the next offboarding run records it deleted."""
    Group.objects.get_or_create(name="compliance")
    staff = make_staff(groups=["compliance"])
    reseller = make_reseller()
    with clock.freeze(T0):
        customer, order, invoice = paying_customer(reseller)
        rights.place_hold(actor=staff, reason="agreement_enforcement",
                          subject_id=customer.subject_id, ends_at=days(45))
        end_service(order)
    with clock.freeze(days(30)):
        assert offboarding.run_offboarding() == 0
    ob = Offboarding.objects.get(subject_id=customer.subject_id)
    assert ob.state == Offboarding.State.OFFERED
    assert ob.report["held"].startswith("Paused by a legal hold (enforcement of an agreement)")
    assert ob.report["holds"][0]["until"] == days(45).date().isoformat()
    customer.refresh_from_db()
    assert customer.is_active
    with clock.freeze(days(46)):
        run_retention.call()
        customer.refresh_from_db()
        assert not customer.is_active  # the retention task erased them
        assert tasks.run_offboarding.call() == 1
    ob.refresh_from_db()
    assert ob.state == Offboarding.State.DELETED
