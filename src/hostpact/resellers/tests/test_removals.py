"""Removal requests from resellers (C39): due thirty business days later on the reseller's
country's calendar, merged when repeated, refused for anyone else's customer, reminded and
escalated once each, and carried out through the rights engine with a report of what was
removed and what was kept, and why."""

import datetime

import pytest
from django.contrib.auth.models import Group

from hostpact.core import clock
from hostpact.core.models import AuditEntry, OutboxMessage
from hostpact.privacy.rights import services as rights
from hostpact.privacy.rights.models import ErasureJob
from hostpact.privacy.rights.tests.helpers import price
from hostpact.resellers import tasks
from hostpact.resellers.models import RemovalRequest
from hostpact.resellers.services import removals
from hostpact.resellers.tests.helpers import make_customer, make_reseller, make_staff
from hostpact.testing import factories

pytestmark = [pytest.mark.django_db, pytest.mark.commitment("C39")]

T0 = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)  # Monday 2 March 2026


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)


def compliance_staff():
    Group.objects.get_or_create(name="compliance")
    return make_staff(groups=["compliance"])


def mails_to(user) -> list[str]:
    return [m.subject_line for m in OutboxMessage.objects.filter(subject_id=user.subject_id)
            .order_by("pk")]


def paying_customer(reseller):
    """A customer of ``reseller`` who ordered and paid once (their invoice is tax data)."""
    from hostpact.billing import services as billing
    from hostpact.core import audit

    customer = make_customer(reseller)
    placed = billing.place_order(customer, price(), audit.actor_of(customer))
    billing.pay_invoice(placed.invoice, audit.actor_of(customer))
    return customer


def test_the_due_date_skips_weekends_and_indian_holidays_by_default():
    """Made on Monday 2 March 2026 by an Indian reseller: the 30 business days skip the
    weekends and Holi (4 March), Ram Navami (26 March), Mahavir Jayanti (31 March), Good
    Friday (3 April) and Ambedkar Jayanti (14 April): March gives 3, 5-6, 9-13, 16-20, 23-25,
    27, 30 (18 days), April 1-2, 6-10, 13, 15-17 (12 more): due Monday 20 April 2026."""
    reseller = make_reseller()
    customer = make_customer(reseller)
    with clock.freeze(T0):
        rr, created = removals.request_removal(reseller, customer, actor="reseller-user:1")
    assert created and reseller.country == "IN"
    assert rr.due_on == datetime.date(2026, 4, 20)
    assert removals.due_date(datetime.date(2026, 3, 2), "") == datetime.date(2026, 4, 20)


def test_a_german_reseller_counts_on_the_german_calendar():
    """Made on Monday 2 March 2026 by a German reseller: March gives 3-6, 9-13, 16-20, 23-27,
    30-31 (21 days), April 1-2 (23); Good Friday (3 April) and Easter Monday (6 April) are
    German holidays, so 7-10 (27) and 13-15 (30): due Wednesday 15 April 2026, where weekends
    alone would give 13 April."""
    reseller = make_reseller(country="DE")
    customer = make_customer(reseller)
    with clock.freeze(T0):
        rr, _ = removals.request_removal(reseller, customer, actor="reseller-user:1")
        assert rr.due_on == datetime.date(2026, 4, 15)
        assert removals.business_days_left(rr) == 30


def test_a_duplicate_request_merges_into_the_first_with_its_due_date():
    """A second request for the same customer while the first is open returns the first
    (same id, same due date, not new), and the merge is in the audit ledger."""
    reseller = make_reseller()
    customer = make_customer(reseller)
    with clock.freeze(T0):
        first, _ = removals.request_removal(reseller, customer, actor="reseller-user:1")
    with clock.freeze(T0 + datetime.timedelta(days=3)):
        again, created = removals.request_removal(reseller, customer, actor="reseller-key:ab")
    assert not created and again.pk == first.pk and again.due_on == first.due_on
    assert RemovalRequest.objects.filter(subject_id=customer.subject_id).count() == 1
    assert AuditEntry.objects.filter(action="resellers.removal.merge",
                                     object_ref=f"removal:{first.pk}").exists()


def test_a_request_for_another_resellers_customer_is_refused():
    """Another reseller's customer, or one of the platform's own, is no customer of this
    reseller: refused (the API and panel answer 404), nothing recorded."""
    mine, theirs = make_reseller(), make_reseller()
    for stranger in (make_customer(theirs), factories.make_subscriber()):
        with pytest.raises(removals.RemovalError) as refused:
            removals.request_removal(mine, stranger, actor="reseller-user:1")
        assert refused.value.field == "customer"
    assert not RemovalRequest.objects.exists()


def test_compliance_staff_are_told_of_a_new_request():
    """A new request is mailed to the compliance staff with its due date."""
    staff = compliance_staff()
    reseller = make_reseller(country="DE")
    with clock.freeze(T0):
        rr, _ = removals.request_removal(reseller, make_customer(reseller), actor="system")
    assert mails_to(staff) == [f"Removal request R-{rr.pk} from {reseller.name}, due "
                               "2026-04-15"]


def test_reminders_at_10_and_20_business_days_and_escalation_at_25_each_once():
    """German reseller, made Monday 2 March 2026: 10 business days have passed on 16 March,
    20 on 30 March, 25 on 8 April (after Good Friday and Easter Monday). Each mark mails
    compliance once, however often the task runs; the escalation also goes to the
    administrators and puts the request on the overdue list."""
    staff = compliance_staff()
    admin = factories.make_staff(superuser=True)
    reseller = make_reseller(country="DE")
    with clock.freeze(T0):
        rr, _ = removals.request_removal(reseller, make_customer(reseller), actor="system")
    new = len(mails_to(staff))
    expected = {datetime.date(2026, 3, 13): [], datetime.date(2026, 3, 16): [10],
                datetime.date(2026, 3, 27): [10], datetime.date(2026, 3, 30): [10, 20],
                datetime.date(2026, 4, 7): [10, 20], datetime.date(2026, 4, 8): [10, 20, 25]}
    for day, marks in expected.items():
        with clock.freeze(at(day)):
            tasks.remind_removals.call()
            tasks.remind_removals.call()
        rr.refresh_from_db()
        assert rr.reminded == marks, day
    lines = mails_to(staff)[new:]
    assert len(lines) == 3
    assert lines[0].startswith(f"Reminder: removal request R-{rr.pk}")
    assert lines[2].startswith(f"Escalation: removal request R-{rr.pk}")
    assert [m for m in mails_to(admin) if "Escalation" in m] == [lines[2]]
    with clock.freeze(at(datetime.date(2026, 4, 8))):
        assert removals.overdue_ids() == [rr.pk] and removals.is_overdue(rr)
        assert removals.business_days_left(rr) == 5
    with clock.freeze(at(datetime.date(2026, 4, 20))):
        assert tasks.remind_removals.call() == 0


def test_completion_erases_through_the_rights_engine_and_reports_removed_and_kept():
    """Carried out by compliance staff: the customer is erased by the rights engine (reason
    "reseller_request"), the paid invoice stays under its tax basis until its date, and the
    report (stored and mailed to the reseller's controller) says what went and what stayed.
    Completing again changes nothing."""
    staff = compliance_staff()
    reseller = make_reseller()
    with clock.freeze(T0):
        customer = paying_customer(reseller)
        rr, _ = removals.request_removal(reseller, customer, actor="reseller-user:1")
        rr = removals.complete_removal(rr, actor=staff)
    assert rr.state == RemovalRequest.State.DONE and rr.completed_at == T0
    job = ErasureJob.objects.get(subject_id=customer.subject_id)
    assert job.state == ErasureJob.State.DONE and job.reason == ErasureJob.Reason.RESELLER
    assert rr.erasure_request_id == job.request_id
    customer.refresh_from_db()
    assert not customer.is_active
    removed = {item["model"] for item in rr.report["removed"]}
    assert "accounts.User" in removed
    invoices = [k for k in rr.report["kept"] if k["model"] == "billing.Invoice"]
    assert invoices and invoices[0]["basis"].startswith("Companies Act 2013")
    assert invoices[0]["until"] > "2034-01-01" and invoices[0]["retention"] == "tax"
    assert rr.report["counts"]
    data = removals.as_dict(rr)
    assert data["state"] == "done" and data["due"] == "2026-04-20"
    assert data["customer"] == customer.customer_id and data["report"]["kept"] == rr.report["kept"]
    sent = [m for m in OutboxMessage.objects.all() if m.subject_line.startswith(
        f"Removal request R-{rr.pk} carried out")]
    assert len(sent) == 1 and "Companies Act 2013" in sent[0].body
    assert sent[0].to_addr == reseller.controller_email
    with clock.freeze(T0 + datetime.timedelta(days=1)):
        again = removals.complete_removal(rr, actor=staff)
    assert again.completed_at == T0 and again.report == rr.report
    assert len([m for m in OutboxMessage.objects.all() if "carried out" in m.subject_line]) == 1


def test_only_compliance_staff_carry_out_a_removal():
    """Staff without the compliance role may not carry out a removal: nothing is erased."""
    from django.core.exceptions import PermissionDenied

    Group.objects.get_or_create(name="support")
    reseller = make_reseller()
    customer = make_customer(reseller)
    rr, _ = removals.request_removal(reseller, customer, actor="system")
    with pytest.raises(PermissionDenied):
        removals.complete_removal(rr, actor=make_staff(groups=["support"]))
    assert not ErasureJob.objects.filter(subject_id=customer.subject_id).exists()


def test_a_legal_hold_pauses_the_removal_until_the_retention_run_after_it_ends():
    """A hold on the whole customer pauses the erasure: the request stays open with the hold's
    reason; once the hold has ended, the retention run finishes the erasure and the removal
    task completes the request."""
    from hostpact.privacy.rights.tasks import run_retention

    staff = compliance_staff()
    reseller = make_reseller()
    customer = make_customer(reseller)
    with clock.freeze(T0):
        rights.place_hold(actor=staff, reason="dispute", subject_id=customer.subject_id,
                          ends_at=T0 + datetime.timedelta(days=10), reference="CASE-9")
        rr, _ = removals.request_removal(reseller, customer, actor="reseller-user:1")
        rr = removals.complete_removal(rr, actor=staff)
        assert rr.state == RemovalRequest.State.OPEN
        assert removals.hold_reason(rr) == ("Paused by a legal hold (a dispute), until "
                                            "2026-03-12.")
        assert removals.as_dict(rr)["report"]["held"] == removals.hold_reason(rr)
    with clock.freeze(T0 + datetime.timedelta(days=5)):
        tasks.remind_removals.call()
    assert RemovalRequest.objects.get(pk=rr.pk).state == RemovalRequest.State.OPEN
    with clock.freeze(T0 + datetime.timedelta(days=11)):
        run_retention.call()
        tasks.remind_removals.call()
    rr.refresh_from_db()
    assert rr.state == RemovalRequest.State.DONE and "held" not in rr.report
    assert ErasureJob.objects.get(subject_id=customer.subject_id).state == "done"


def test_registration_data_is_reported_kept_as_the_registrars():
    """A customer's domain and its contacts are kept as registrar, under the registrar
    agreement, until their date: the report says so and does not count them removed."""
    from hostpact.domains.tests.helpers import register

    staff = compliance_staff()
    reseller = make_reseller()
    customer = make_customer(reseller)
    with clock.freeze(T0):
        register(customer, "removal-shop.test")
        rr, _ = removals.request_removal(reseller, customer, actor="reseller-user:1")
        rr = removals.complete_removal(rr, actor=staff)
    registrar = [k for k in rr.report["kept"] if k["controller"] == "registrar"]
    assert {k["model"] for k in registrar} >= {"domains.Domain", "domains.Contact"}
    assert all(k["basis"].startswith("ICANN Registrar Accreditation Agreement") and
               k["until"] >= "2028-03-01" and "as registrar" in k["note"] for k in registrar)
    assert "domains.Contact" not in {r["model"] for r in rr.report["removed"]}
