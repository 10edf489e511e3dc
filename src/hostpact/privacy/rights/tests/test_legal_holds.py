"""Legal holds cover only what they name: a held record survives its subscriber's erasure
under the hold's own key, readable by compliance only, and goes once the hold is over."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from hostpact.billing.models import Invoice
from hostpact.core import clock, crypto
from hostpact.core.models import DataKey
from hostpact.privacy.rights import services
from hostpact.privacy.rights.erasure import services as erasure
from hostpact.privacy.rights.models import ErasureJob, KeyExpiry, LegalHold, Tombstone
from hostpact.privacy.rights.retention import services as retention_run
from hostpact.privacy.rights.tests.helpers import T0, subscriber_with_invoice
from hostpact.testing import factories
from hostpact.testing.scan import ciphertexts_of, find_plaintext

BILLED = ("billed_name", "billed_company", "billed_address")


def _readable(tokens) -> list[str]:
    out = []
    for token in tokens:
        try:
            crypto.decrypt(token)
        except crypto.ShreddedKeyError:
            continue
        out.append(token)
    return out


def _raw_billed(invoice) -> tuple:
    q = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(f"SELECT {', '.join(q(c) for c in BILLED)} FROM {q(Invoice._meta.db_table)} "  # noqa: S608
                    "WHERE id = %s", [invoice.pk])
        return cur.fetchone()


def _held_invoice(moment=T0):
    """A subscriber who ordered and paid, signed in once, with a hold on their invoice."""
    for role in ("compliance", "billing"):  # a transactional test before may have flushed them
        Group.objects.get_or_create(name=role)
    compliance = factories.make_staff(groups=["compliance"])
    with clock.freeze(moment):
        user, invoice = subscriber_with_invoice()
        browser = Client(HTTP_USER_AGENT="Mozilla/5.0 (Holdtest)")
        assert browser.post(reverse("accounts:login"), {
            "username": user.email, "password": "correct-horse-battery-1"}).status_code == 302
        hold = services.place_hold(actor=compliance, reason="dispute",
                                   record_model="billing.invoice", record_pk=invoice.pk,
                                   reference="CASE-7")
    return compliance, user, invoice, hold


@pytest.mark.django_db(transaction=True)
@pytest.mark.commitment("C41")
def test_a_hold_on_one_invoice_keeps_it_for_compliance_and_erases_the_rest_at_once(client):
    """With a hold on one invoice the erasure finishes at once: no ciphertext naming the
    subscriber decrypts any more, no value is in the database bytes, rows or files; the
    invoice sits under the hold's key, empty for billing staff and readable on the hold's
    compliance page; the status page names what is held, by whom, why and until when, and no
    value. After the tax period the invoice is still held; released, the run shreds it."""
    compliance, user, invoice, hold = _held_invoice()
    sid, p = user.subject_id, user.profile
    values = [user.email, p.name, p.phone, p.line1, invoice.billed_address]
    before = ciphertexts_of(sid)
    assert {"account", "security", "tax"} <= set(before.values())
    with clock.freeze(T0):
        job = erasure.erase_subject(sid, actor="system:test", reason="staff")

    assert job.state == ErasureJob.State.DONE
    after = ciphertexts_of(sid)
    assert _readable(after) == []
    assert _readable(t for t, k in before.items() if k != "tax") == []
    assert find_plaintext(values) == []
    hold.refresh_from_db()
    assert hold.key_subject_id and hold.key_subject.kind == "legal_hold"
    held_tokens = [t for t in _raw_billed(invoice) if t]
    assert held_tokens and {crypto.parse(t)[:2] for t in held_tokens} == {
        (hold.key_subject_id, crypto.HOLD_CLASS)}
    assert Invoice.objects.get(pk=invoice.pk).billed_name is None  # outside compliance
    with crypto.reading_held():
        assert Invoice.objects.get(pk=invoice.pk).billed_name == p.name
    assert [k["count"] for k in job.kept if k["model"] == "billing.Invoice"] == [1]  # tax

    client.force_login(factories.make_staff(groups=["billing"]))
    page = client.get(reverse("admin:billing_invoice_change", args=[invoice.pk]))
    assert page.status_code == 200 and p.name.encode() not in page.content
    client.force_login(compliance)
    page = client.get(reverse("admin:rights_legalhold_change", args=[hold.pk]))
    assert page.status_code == 200 and p.name.encode() in page.content

    status = Client().get(reverse("rights:erasure-status", args=[job.status_token]))
    text = status.content.decode()
    assert "Kept by a legal hold" in text and "Compliance staff" in text
    assert "A dispute" in text and "until the hold is released" in text
    assert p.name not in text and "CASE-7" not in text
    api = Client().get(f"/api/v1/erasure/{job.status_token}").json()
    assert api["held"] == [{"item": "Invoice", "role": "compliance", "basis": "A dispute",
                            "until": "until the hold is released"}]

    due = KeyExpiry.objects.get(subject_id=sid, retention_class="tax").due_at
    with clock.freeze(due + datetime.timedelta(days=1)):
        retention_run.run()
        with pytest.raises(crypto.ShreddedKeyError):
            crypto.data_key(sid, "tax")
        with crypto.reading_held():
            assert Invoice.objects.get(pk=invoice.pk).billed_name == p.name  # still held
        services.release_hold(hold, actor=compliance)
        retention_run.run()
    hold.refresh_from_db()
    assert hold.key_shredded_at is not None
    assert not DataKey.objects.filter(subject_id=hold.key_subject_id,
                                      shredded_at__isnull=True).exists()
    assert _raw_billed(invoice) == (None, None, None)
    assert _readable(held_tokens) == []


@pytest.mark.django_db
@pytest.mark.commitment("C41")
def test_a_hold_released_within_the_tax_period_returns_the_invoice_to_the_tax_key():
    """A hold lifted before the tax period ends gives the invoice back to the tax key (readable
    to billing again, as the kept list says) and shreds the hold's key; the invoice goes with
    the tax key at its date."""
    compliance, user, invoice, hold = _held_invoice()
    sid, name = user.subject_id, user.profile.name
    with clock.freeze(T0):
        erasure.erase_subject(sid, actor="system:test", reason="staff")
    with clock.freeze(T0 + datetime.timedelta(days=30)):
        services.release_hold(hold, actor=compliance)
        lines = retention_run.plan()
        assert sum(x["count"] for x in lines if x["model"] == "rights.LegalHold") == 1
        retention_run.run()
    assert Invoice.objects.get(pk=invoice.pk).billed_name == name
    assert {crypto.parse(t)[:2] for t in _raw_billed(invoice) if t} == {(sid, "tax")}
    hold.refresh_from_db()
    assert not DataKey.objects.filter(subject_id=hold.key_subject_id,
                                      shredded_at__isnull=True).exists()
    due = KeyExpiry.objects.get(subject_id=sid, retention_class="tax").due_at
    with clock.freeze(due + datetime.timedelta(days=1)):
        retention_run.run()
    assert _raw_billed(invoice) == (None, None, None)


@pytest.mark.django_db
@pytest.mark.commitment("C41")
def test_a_hold_on_the_whole_subscriber_still_pauses_the_erasure():
    """A subject-wide hold keeps today's behaviour: the job waits "held", nothing erased, and
    the status lists the hold."""
    compliance = factories.make_staff(groups=["compliance"])
    user = factories.make_subscriber()
    with clock.freeze(T0):
        services.place_hold(actor=compliance, reason="legal_obligation",
                            subject_id=user.subject_id, ends_at=T0 + datetime.timedelta(days=9))
        job = erasure.erase_subject(user.subject_id, actor="system:test", reason="staff")
    assert job.state == ErasureJob.State.HELD and job.steps_done == []
    from hostpact.privacy.rights.erasure.queries import status_of

    with clock.freeze(T0):
        assert status_of(job)["held"] == [{
            "item": "All your information", "role": "compliance",
            "basis": "A legal obligation",
            "until": (T0 + datetime.timedelta(days=9)).date().isoformat()}]


@pytest.mark.django_db
@pytest.mark.commitment("C41")
@pytest.mark.parametrize("fail_after", [0, 1, 2, 6, 12])
def test_an_erasure_with_a_hold_killed_part_way_resumes_with_the_held_record_intact(fail_after):
    """Killed after N steps, the erasure of a subscriber with a held invoice leaves each step
    wholly done or not started; resumed, it finishes once, with the invoice intact under the
    hold's key and everything else unreadable."""
    compliance, user, invoice, hold = _held_invoice()
    sid = user.subject_id
    stored = Invoice.objects.get(pk=invoice.pk)
    billed = {f: getattr(stored, f) for f in BILLED}
    assert billed["billed_name"] == user.profile.name
    with clock.freeze(T0), override_settings(RIGHTS_ERASURE_FAIL_AFTER=fail_after):
        with pytest.raises(erasure.InjectedFailure):
            erasure.erase_subject(sid, actor="system:test", reason="staff")
    job = ErasureJob.objects.get(subject_id=sid)
    assert job.state == ErasureJob.State.FAILED and len(job.steps_done) == fail_after
    with crypto.reading_held():
        assert {f: getattr(Invoice.objects.get(pk=invoice.pk), f) for f in BILLED} == billed
    with clock.freeze(T0):
        job = erasure.erase_subject(sid, actor="system:test", reason="staff")
    assert job.state == ErasureJob.State.DONE
    assert job.steps_done == [name for name, _ in erasure.steps()]
    assert Tombstone.objects.count() == 1
    assert LegalHold.objects.filter(key_subject__isnull=False).values_list(
        "key_subject_id", flat=True).distinct().count() == 1
    with crypto.reading_held():
        assert {f: getattr(Invoice.objects.get(pk=invoice.pk), f) for f in BILLED} == billed
    assert _readable(ciphertexts_of(sid)) == []


@pytest.mark.django_db
@pytest.mark.commitment("C41")
def test_a_record_stays_held_while_any_hold_on_it_is_in_force():
    """A second hold on the held invoice, placed after the erasure, keeps it under the hold's
    key when the first is released; the run gives it back only once both are over."""
    compliance, user, invoice, first = _held_invoice()
    with clock.freeze(T0):
        erasure.erase_subject(user.subject_id, actor="system:test", reason="staff")
        second = services.place_hold(actor=compliance, reason="legal_obligation",
                                     record_model="billing.invoice", record_pk=invoice.pk)
    with clock.freeze(T0 + datetime.timedelta(days=10)):
        services.release_hold(first, actor=compliance)
        retention_run.run()
    first.refresh_from_db()
    assert first.key_shredded_at is None
    assert {crypto.parse(t)[:2] for t in _raw_billed(invoice) if t} == {
        (first.key_subject_id, crypto.HOLD_CLASS)}
    with clock.freeze(T0 + datetime.timedelta(days=20)):
        services.release_hold(second, actor=compliance)
        retention_run.run()
    assert {crypto.parse(t)[:2] for t in _raw_billed(invoice) if t} == {
        (user.subject_id, "tax")}
