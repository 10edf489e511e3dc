"""Retention (C41): the schedule from the data map, the run, and legal holds that pause it."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command

from hostpact.accounts.models import LoginSession
from hostpact.billing.models import Invoice
from hostpact.core import clock, crypto, ratelimit
from hostpact.core.models import Counter, DataKey
from hostpact.privacy.rights import services
from hostpact.privacy.rights.erasure import services as erasure
from hostpact.privacy.rights.models import ErasureJob, KeyExpiry
from hostpact.privacy.rights.retention import services as retention_run
from hostpact.privacy.rights.tasks import run_retention
from hostpact.privacy.rights.tests.helpers import T0, at, subscriber_with_invoice
from hostpact.testing import factories

pytestmark = pytest.mark.django_db


def _login(client, user, moment):
    with clock.freeze(moment):
        client.force_login(user)
    return LoginSession.objects.filter(user=user).latest("pk")


def _line(lines, model, rule_part=""):
    return sum(x["count"] for x in lines if x["model"] == model and rule_part in x["rule"])


def test_schedule_is_read_from_the_data_map():
    """The plan has a 90-day rule for every model with security-class data, named with its
    categories, and the kept-key and closed-account rules; nothing is hand-listed."""
    lines = retention_run.plan()
    security = {x["model"] for x in lines if x["retention"] == "security" and "90" in x["rule"]}
    assert "accounts.LoginSession" in security
    assert any(x["model"] == "sessions.Session" and "expired" in x["rule"] for x in lines)
    login = next(x for x in lines if x["model"] == "accounts.LoginSession")
    assert "user.device" in login["categories"]
    assert any(x["retention"] == "tax" and x["model"] == "core.DataKey" for x in lines)
    assert any("closed accounts" in x["rule"] for x in lines)


@pytest.mark.commitment("C41")
def test_security_data_older_than_90_days_goes(client):
    """Login sessions older than 90 days, expired Django sessions and day-old rate-limit
    counters are purged; younger ones stay. The plan counts them first and changes nothing."""
    user = factories.make_subscriber()
    old = _login(client, user, at(0))
    young = _login(client.__class__(), user, at(80))
    with clock.freeze(at(0)):
        ratelimit.hit("login-ip", "192.0.2.1", 60)
    with clock.freeze(at(95)):
        Session.objects.filter(session_key=young.session_key).update(expire_date=at(94))
        lines = retention_run.plan()
        assert _line(lines, "accounts.LoginSession") == 1
        assert _line(lines, "sessions.Session") >= 1
        assert _line(lines, "core.Counter") == 1
        assert LoginSession.objects.filter(pk=old.pk).exists()  # a dry run
        retention_run.run()
    assert not LoginSession.objects.filter(pk=old.pk).exists()
    assert LoginSession.objects.filter(pk=young.pk).exists()
    assert not Session.objects.filter(session_key=young.session_key).exists()  # expired
    assert not Counter.objects.filter(name__startswith="rl:").exists()


@pytest.mark.commitment("C41")
def test_held_data_is_untouched_and_goes_after_the_hold_ends(client):
    """A hold on a subject keeps its old login sessions; a hold on one record keeps that
    record while others of the same kind go; once the holds end, the next run purges them."""
    compliance = factories.make_staff(groups=["compliance"])
    held_user, record_user = factories.make_subscriber(), factories.make_subscriber()
    held = _login(client, held_user, at(0))
    kept_record = _login(client.__class__(), record_user, at(0))
    other_record = _login(client.__class__(), record_user, at(1))
    with clock.freeze(at(2)):
        services.place_hold(actor=compliance, reason="dispute", subject_id=held_user.subject_id,
                            ends_at=at(120))
        services.place_hold(actor=compliance, reason="legal_obligation",
                            record_model="accounts.loginsession", record_pk=kept_record.pk,
                            ends_at=at(150))
    with clock.freeze(at(100)):
        retention_run.run()
    assert LoginSession.objects.filter(pk=held.pk).exists()
    assert LoginSession.objects.filter(pk=kept_record.pk).exists()
    assert not LoginSession.objects.filter(pk=other_record.pk).exists()
    with clock.freeze(at(130)):
        retention_run.run()
    assert not LoginSession.objects.filter(pk=held.pk).exists()
    assert LoginSession.objects.filter(pk=kept_record.pk).exists()
    with clock.freeze(at(151)):
        retention_run.run()
    assert not LoginSession.objects.filter(pk=kept_record.pk).exists()


@pytest.mark.commitment("C41")
def test_tax_key_goes_at_its_date_unless_held():
    """The kept invoice is readable until erasure + the tax period; a hold placed then keeps
    it readable, for compliance only, under the hold's own key while the tax key goes on
    time; once the hold is released the run shreds the hold's key and clears the invoice."""
    compliance = factories.make_staff(groups=["compliance"])
    user, invoice = subscriber_with_invoice()
    sid = user.subject_id
    with clock.freeze(T0):
        erasure.erase_subject(sid, actor="system:test", reason="staff")
    due = KeyExpiry.objects.get(subject_id=sid).due_at
    with clock.freeze(due - datetime.timedelta(days=1)):
        retention_run.run()
        hold = services.place_hold(actor=compliance, reason="agreement_enforcement",
                                   record_model="billing.invoice", record_pk=invoice.pk)
    assert Invoice.objects.get(pk=invoice.pk).billed_name
    with clock.freeze(due + datetime.timedelta(days=1)):
        assert _line(retention_run.plan(), "core.DataKey", "tax") == 1
        retention_run.run()
        with pytest.raises(crypto.ShreddedKeyError):
            crypto.data_key(sid, "tax")
        assert Invoice.objects.get(pk=invoice.pk).billed_name is None  # compliance only
        with crypto.reading_held():
            assert Invoice.objects.get(pk=invoice.pk).billed_name  # held
        services.release_hold(hold, actor=compliance)
        retention_run.run()
    with crypto.reading_held():
        assert Invoice.objects.get(pk=invoice.pk).billed_name is None
    assert KeyExpiry.objects.get(subject_id=sid).shredded_at is not None
    assert not DataKey.objects.filter(subject_id=sid, shredded_at__isnull=True).exists()


@pytest.mark.commitment("C41")
def test_held_erasure_resumes_at_the_run_after_the_hold_ends():
    """An erasure paused by a hold finishes at the first retention run after the hold ends;
    then the closed account's unreadable remnants are cleared."""
    compliance = factories.make_staff(groups=["compliance"])
    user = factories.make_subscriber()
    with clock.freeze(T0):
        services.place_hold(actor=compliance, reason="dispute", subject_id=user.subject_id,
                            ends_at=at(10))
        job = erasure.erase_subject(user.subject_id, actor="system:test", reason="staff")
    assert job.state == ErasureJob.State.HELD
    with clock.freeze(at(5)):
        retention_run.run()
    assert ErasureJob.objects.get(pk=job.pk).state == ErasureJob.State.HELD
    with clock.freeze(at(11)):
        run_retention.call()
    job.refresh_from_db()
    assert job.state == ErasureJob.State.DONE and job.remnants_purged_at is not None
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT name FROM accounts_profile WHERE user_id = %s", [user.pk])
        assert cur.fetchone() == (None,)  # the ciphertext is gone too


def test_retention_commands_plan_and_run(capsys):
    """`hostpact retention plan` prints the dry run; `run` applies it (with a progress bar)."""
    call_command("retention", "plan")
    out = capsys.readouterr().out
    assert "Would go" in out and "LoginSession" in out
    call_command("retention", "run", "--format", "json")
    assert '"rule"' in capsys.readouterr().out
