"""A request through support does nothing until the person proves who they are."""

from datetime import timedelta

import pytest

from hostpact.accounts.models import Profile
from hostpact.core import clock
from hostpact.core.models import AuditEntry, OutboxMessage
from hostpact.privacy.subject_requests import services
from hostpact.privacy.subject_requests.models import DataSubjectRequest as DSR
from hostpact.privacy.subject_requests.services import states
from hostpact.privacy.subject_requests.tests.helpers import last_code, record, verified, wrong
from hostpact.testing.factories import make_staff

pytestmark = pytest.mark.django_db
S = DSR.Status


@pytest.fixture
def staff(db):
    return make_staff(groups=["support"])


@pytest.mark.commitment("C32")
def test_three_wrong_codes_lock_the_request_and_the_right_one_then_fails(staff, subscriber):
    """Each wrong code is counted even though it is refused; the third locks the request, and
    a fourth try with the right code is refused too: the request can then only be denied."""
    dsr = record(staff, subscriber)
    services.send_code(dsr, staff, "email")
    right = last_code(subscriber.subject_id)
    for expected_left in (2, 1):
        with pytest.raises(services.WrongCode) as refused:
            services.check_code(dsr, staff, wrong(right))
        assert refused.value.tries_left == expected_left
    with pytest.raises(services.RequestLocked):
        services.check_code(dsr, staff, wrong(right))
    dsr.refresh_from_db()
    assert dsr.code_tries == 3 and dsr.locked_at is not None
    with pytest.raises(services.RequestLocked):
        services.check_code(dsr, staff, right)
    with pytest.raises(services.RequestLocked):
        services.send_code(dsr, staff, "email")  # a new code does not reset the lock
    dsr.refresh_from_db()
    assert dsr.status == S.IDENTITY_UNVERIFIED and dsr.code_verified_at is None
    assert AuditEntry.objects.filter(action="requests.code.wrong").count() == 3
    assert AuditEntry.objects.filter(action="requests.locked").count() == 1
    assert services.deny_request(dsr, staff, "Identity not proved").status == S.DENIED


def test_the_code_expires_after_ten_minutes(staff, subscriber):
    """A code checked ten minutes after it was sent is refused without counting a try; a new
    one checked within its life works."""
    t0 = clock.now()
    with clock.freeze(t0):
        dsr = record(staff, subscriber)
        services.send_code(dsr, staff, "email")
        first = last_code(subscriber.subject_id)
    with clock.freeze(t0 + timedelta(minutes=10)), pytest.raises(services.CodeExpired):
        services.check_code(dsr, staff, first)
    dsr.refresh_from_db()
    assert dsr.code_tries == 0 and dsr.code_verified_at is None
    with clock.freeze(t0 + timedelta(minutes=11)):
        services.send_code(dsr, staff, "email")
        second = last_code(subscriber.subject_id)
    with clock.freeze(t0 + timedelta(minutes=20, seconds=59)):
        dsr = services.check_code(dsr, staff, second)
    assert dsr.code_verified_at is not None


def test_the_code_is_stored_only_as_a_keyed_hash_and_used_once(staff, subscriber):
    """The database holds a hash, not the code; once checked, the code cannot be used again."""
    dsr = record(staff, subscriber)
    services.send_code(dsr, staff, "email")
    code = last_code(subscriber.subject_id)
    dsr.refresh_from_db()
    assert code not in dsr.code_hash and len(dsr.code_hash) == 64
    services.check_code(dsr, staff, code)
    with pytest.raises(services.IllegalTransition):
        services.check_code(dsr, staff, code)


def test_verified_needs_both_the_code_and_the_attestation(staff, subscriber):
    """The code alone, or the attestation alone, leaves the identity unverified."""
    dsr = record(staff, subscriber)
    services.attest_identity(dsr, staff, True)
    services.send_code(dsr, staff, "email")
    dsr.refresh_from_db()
    assert dsr.status == S.IDENTITY_UNVERIFIED
    dsr = services.check_code(dsr, staff, last_code(subscriber.subject_id))
    assert dsr.status == S.VERIFIED
    assert dsr.attested_by_id == staff.pk
    with pytest.raises(services.RequestError) as refused:
        services.attest_identity(record(staff, subscriber), staff, False)
    assert "confirmed" in refused.value.errors


def test_nothing_happens_before_verification(staff, subscriber):
    """A correction on a request whose identity is not verified is refused and changes nothing."""
    dsr = record(staff, subscriber)
    services.send_code(dsr, staff, "email")
    with pytest.raises(services.NotVerified):
        services.apply_correction(dsr, staff, {"city": "Nagpur"})
    with pytest.raises(services.NotVerified):
        services.start_request(dsr, staff)
    with pytest.raises(services.NotVerified):
        services.fulfil_access(dsr, staff)
    assert Profile.objects.get(user=subscriber).city == "Pune"
    assert not AuditEntry.objects.filter(action="accounts.profile.update").exists()


def test_illegal_transitions_are_refused_with_both_states_named(staff, subscriber):
    """Skipping or reversing a step raises IllegalTransition naming where the request is."""
    dsr = verified(staff, subscriber)  # in progress
    with pytest.raises(services.IllegalTransition, match="in progress.*verified"):
        states.move(dsr, S.VERIFIED)
    with pytest.raises(services.IllegalTransition):
        services.send_code(dsr, staff, "email")
    with pytest.raises(services.IllegalTransition):
        services.start_request(dsr, staff)
    with pytest.raises(services.RequestError, match="Nothing was corrected"):
        services.complete_request(dsr, staff)
    services.complete_request(dsr, staff, "The data was right.")
    with pytest.raises(services.IllegalTransition, match="completed"):
        services.deny_request(dsr, staff, "too late")
    fresh = record(staff, subscriber)
    with pytest.raises(services.IllegalTransition):
        services.complete_request(fresh, staff, "skip")
    fresh.refresh_from_db()
    assert fresh.status == S.RECEIVED


def test_a_code_by_phone_goes_through_the_fake_sms_gateway(
        staff, subscriber, settings, tmp_path, django_capture_on_commit_callbacks):
    """With no SMS provider, the fake gateway files the text in the mail catcher's folder."""
    settings.MAIL_DIR = tmp_path / "mail"
    dsr = record(staff, subscriber)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_code(dsr, staff, "phone")
    [stored] = list((tmp_path / "mail").glob("*.eml"))
    text = stored.read_text()
    assert "X-Hostpact-Fake: sms" in text and subscriber.profile.phone in text
    assert not OutboxMessage.objects.filter(subject_id=subscriber.subject_id,
                                            category="support").exists()
    entry = AuditEntry.objects.filter(action="requests.code.send").latest("seq")
    assert entry.fields == ["phone"]


def test_only_support_compliance_or_superusers_handle_requests(subscriber):
    """A billing clerk may not record a request; compliance may."""
    with pytest.raises(PermissionError):
        record(make_staff(groups=["billing"]), subscriber)
    assert record(make_staff(groups=["compliance"]), subscriber).pk


def test_an_unknown_customer_is_named_as_the_bad_field(staff):
    """A customer ID or email no subscriber has is refused on the customer field; nothing kept."""
    with pytest.raises(services.RequestError) as refused:
        services.record_request(staff, customer="nobody@example.test", channel="email",
                                kind="access")
    assert "customer" in refused.value.errors
    assert not DSR.objects.exists()
