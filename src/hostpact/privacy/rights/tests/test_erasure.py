"""The erasure engine: what goes, what is kept and until when, and resuming a killed run."""

import datetime

import pytest
from django.db import connection
from django.test import override_settings

from hostpact.accounts.models import LoginSession, Profile, User
from hostpact.billing.models import Invoice, PaymentMethod
from hostpact.core import clock, crypto, ratelimit
from hostpact.core.mail import queue_mail
from hostpact.core.models import AuditEntry, DataKey, OutboxMessage
from hostpact.privacy.retention import CLASSES
from hostpact.privacy.rights import services
from hostpact.privacy.rights.erasure import services as erasure
from hostpact.privacy.rights.models import ErasureJob, KeyExpiry, Tombstone
from hostpact.privacy.rights.tests.helpers import T0, subscriber_with_invoice
from hostpact.testing import factories

pytestmark = pytest.mark.django_db


def _ciphertexts(model, subject_id, fields):
    """The stored tokens (read with SQL: the ORM would decrypt them)."""
    table, q = model._meta.db_table, connection.ops.quote_name
    cols = ", ".join(q(model._meta.get_field(f).column) for f in fields)
    with connection.cursor() as cur:
        cur.execute(f"SELECT {cols} FROM {q(table)} WHERE subject_id = %s",  # noqa: S608
                    [subject_id.hex])
        tokens = [v for row in cur.fetchall() for v in row if v]
    assert tokens and all(t.startswith(crypto.PREFIX) for t in tokens)
    return tokens


def test_erased_subject_cannot_be_read_and_kept_invoice_can():
    """After erasure the profile, email and card ciphertext raise ShreddedKeyError, the user is
    inactive with an unusable password, the invoice's billed name stays readable under the tax
    basis with an until-date of erasure + the tax keep period, and a tombstone names no one."""
    with clock.freeze(T0):
        user, invoice = subscriber_with_invoice()
        name = user.profile.name
        sid = user.subject_id
        profile_tokens = _ciphertexts(Profile, sid, ["name", "phone", "line1"])
        user_tokens = _ciphertexts(User, sid, ["email"])
        card_tokens = _ciphertexts(PaymentMethod, sid, ["token", "last4"])
        job = erasure.erase_subject(sid, actor="system:test", reason="staff")

    assert job.state == ErasureJob.State.DONE
    for token in profile_tokens + user_tokens + card_tokens:
        with pytest.raises(crypto.ShreddedKeyError):
            crypto.decrypt(token)
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert user.email is None and user.email_index.startswith("erased-")
    assert Profile.objects.get(subject_id=sid).phone_index == ""
    kept_invoice = Invoice.objects.get(pk=invoice.pk)
    assert kept_invoice.billed_name == name  # readable until its date
    [kept] = [k for k in job.kept if k["model"] == "billing.Invoice"]
    until = (T0 + CLASSES["tax"].keep_after_erasure).date().isoformat()
    assert kept["until"] == until and "CGST" in kept["basis"]
    assert KeyExpiry.objects.get(subject_id=sid, retention_class="tax").due_at.date().isoformat() \
        == until
    assert set(DataKey.objects.filter(subject_id=sid, shredded_at__isnull=True)
               .values_list("retention_class", flat=True)) == {"tax"}
    tomb = Tombstone.objects.get()
    assert str(sid) not in str(tomb.counts) and tomb.counts["keys_shredded"] >= 1
    assert not any(hasattr(tomb, f) for f in ("subject", "subject_id", "job"))
    steps = AuditEntry.objects.filter(action="rights.erasure.step", subject_id=sid)
    assert steps.exists()
    assert name not in str(list(steps.values_list("fields", flat=True)))


def test_same_email_can_sign_up_again_after_erasure():
    """The blind index is deleted, so the erased email (and phone) may sign up again."""
    user = factories.make_subscriber(email="again@example.test")
    erasure.erase_subject(user.subject_id, actor="system:test", reason="staff")
    again = factories.make_subscriber(email="again@example.test")
    assert again.pk != user.pk and again.email == "again@example.test"
    assert User.objects.get_by_natural_key("again@example.test") == again


def test_sessions_tokens_and_queued_mail_go(client):
    """Erasure ends the user's sessions, revokes API tokens and drops mail queued to them."""
    from hostpact.accounts.services import issue_api_token

    user = factories.make_subscriber()
    client.force_login(user)
    assert LoginSession.objects.filter(user=user).exists()
    raw, _ = issue_api_token(user)
    queue_mail(user.subject_id, user.email, "Hello", "A message")
    assert client.get("/api/v1/me").status_code == 200
    erasure.erase_subject(user.subject_id, actor="system:test", reason="staff")
    assert not LoginSession.objects.filter(user=user).exists()
    assert not OutboxMessage.objects.filter(subject_id=user.subject_id).exists()
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert client.get("/panel/").status_code == 302


def test_two_factor_secret_and_backup_codes_go():
    """Erasure deletes the authenticator secret and the backup codes' hashes; none works."""
    from django_otp import match_token
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hostpact.accounts import services as accounts
    from hostpact.accounts.models import BackupCode

    user = factories.make_subscriber()
    accounts.start_totp(user)
    codes = accounts.regenerate_backup_codes(user)
    job = erasure.erase_subject(user.subject_id, actor="system:test", reason="staff")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not BackupCode.objects.filter(device__user=user).exists()
    assert match_token(user, codes[0]) is None
    assert job.counts["rows_deleted"] >= 1 + len(codes)


def test_erasure_is_idempotent():
    """Erasing twice returns the same finished job and changes nothing more."""
    user = factories.make_subscriber()
    first = erasure.erase_subject(user.subject_id, actor="system:test", reason="staff")
    before = AuditEntry.objects.count()
    again = erasure.erase_subject(user.subject_id, actor="system:test", reason="staff")
    assert again.pk == first.pk and again.state == ErasureJob.State.DONE
    assert AuditEntry.objects.count() == before and Tombstone.objects.count() == 1


@pytest.mark.commitment("C34")
@pytest.mark.parametrize("fail_after", [0, 1, 4, 7, 12])
def test_killed_erasure_resumes_with_nothing_half_erased(fail_after):
    """A run killed after N steps leaves each step wholly done or not started; running again
    finishes the job, with every step done exactly once and one tombstone."""
    user, invoice = subscriber_with_invoice()
    sid = user.subject_id
    with override_settings(RIGHTS_ERASURE_FAIL_AFTER=fail_after):
        with pytest.raises(erasure.InjectedFailure):
            erasure.erase_subject(sid, actor="system:test", reason="staff")
    job = ErasureJob.objects.get(subject_id=sid)
    assert job.state == ErasureJob.State.FAILED and len(job.steps_done) == fail_after
    assert not Tombstone.objects.exists()
    job = erasure.erase_subject(sid, actor="system:test", reason="staff")
    assert job.state == ErasureJob.State.DONE and job.attempts == 2
    names = [name for name, _ in erasure.steps()]
    assert job.steps_done == names
    assert Tombstone.objects.count() == 1
    user.refresh_from_db()
    assert not user.is_active and user.email is None
    assert Invoice.objects.get(pk=invoice.pk).billed_name  # kept: still readable
    assert len([k for k in job.kept if k["model"] == "billing.Invoice"]) == 1


@pytest.mark.commitment("C41")
def test_legal_hold_pauses_erasure_until_it_ends():
    """With a hold in force the job waits "held" with the hold's reason and nothing is
    erased; after the hold ends the next attempt erases."""
    staff = factories.make_staff(groups=["compliance"])
    user = factories.make_subscriber()
    sid = user.subject_id
    with clock.freeze(T0):
        services.place_hold(actor=staff, reason="dispute", subject_id=sid,
                            ends_at=T0 + datetime.timedelta(days=30))
        job = erasure.erase_subject(sid, actor="system:test", reason="staff")
    assert job.state == ErasureJob.State.HELD and "dispute" in job.hold_reason
    assert job.steps_done == []
    user.refresh_from_db()
    assert user.is_active and user.email and user.profile.name
    with clock.freeze(T0 + datetime.timedelta(days=31)):
        job = erasure.erase_subject(sid, actor="system:test", reason="staff")
    assert job.state == ErasureJob.State.DONE
    assert User.objects.get(pk=user.pk).email is None


def test_erasure_of_one_subscriber_leaves_another_intact():
    """Only the named subject's rows and keys change."""
    a, b = factories.make_subscriber(), factories.make_subscriber()
    b_name = b.profile.name
    erasure.erase_subject(a.subject_id, actor="system:test", reason="staff")
    b = User.objects.get(pk=b.pk)
    assert b.is_active and b.profile.name == b_name and b.has_usable_password()
    assert ratelimit.value(services.CHILD_COUNTER) == 0
