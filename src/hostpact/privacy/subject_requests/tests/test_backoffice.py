"""Support works a request end to end in the back office; every step is in the audit ledger."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from hostpact.accounts.models import Profile
from hostpact.core import clock
from hostpact.core.models import AuditEntry, OutboxMessage
from hostpact.privacy.subject_requests import services
from hostpact.privacy.subject_requests.models import DataSubjectRequest as DSR
from hostpact.privacy.subject_requests.tests.helpers import last_code, record, verified
from hostpact.testing.factories import make_staff

pytestmark = pytest.mark.django_db
S = DSR.Status
BASE = "/admin/requests/datasubjectrequest"


@pytest.fixture
def staff(db):
    return make_staff(groups=["support"])


def _step(client, dsr_pk, action, **fields):
    data = {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(f"{BASE}/{dsr_pk}/process/", data)


def _values_in_audit(*values) -> list[str]:
    text = json.dumps([[e.actor, e.action, e.object_ref, e.fields]
                       for e in AuditEntry.objects.all()])
    return [v for v in values if v and v in text]


@pytest.mark.commitment("C32")
def test_a_phone_request_is_verified_by_email_code_and_the_correction_applied(client, staff,
                                                                              subscriber):
    """A caller asks support to correct their city: staff record the call, send a code to the
    email on file, enter the code the caller reads back, attest, and correct the profile
    through the accounts service. Each step is audited with field names, never values."""
    client.force_login(staff)
    response = client.post(f"{BASE}/add/", {"customer": subscriber.customer_id,
                                            "channel": "phone", "kind": "correction",
                                            "notes": "Caller says the city is wrong."})
    dsr = DSR.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{dsr.pk}/process/")
    assert dsr.channel == "phone" and dsr.recorded_by == f"staff:{staff.pk}"
    assert dsr.due_on == timezone.localdate(dsr.received_at) + timedelta(days=30)

    assert _step(client, dsr.pk, "send_code", via="email").status_code == 302
    message = OutboxMessage.objects.filter(subject_id=subscriber.subject_id).latest("id")
    assert message.to_addr == subscriber.email
    assert _step(client, dsr.pk, "enter_code",
                 code=last_code(subscriber.subject_id)).status_code == 302
    assert _step(client, dsr.pk, "attest", confirmed="on").status_code == 302
    dsr.refresh_from_db()
    assert dsr.status == S.VERIFIED and dsr.attested_by_id == staff.pk
    assert _step(client, dsr.pk, "start").status_code == 302

    page = client.get(f"{BASE}/{dsr.pk}/process/").content.decode()
    assert "Apply correction" in page and 'name="correct-date_of_birth"' not in page  # support
    profile = Profile.objects.get(user=subscriber)
    form = {k: getattr(profile, k) or "" for k in ("name", "phone", "line1",
                                                   "line2", "city", "region",
                                                   "postal_code", "country")}
    form["city"] = "Nagpur"
    assert _step(client, dsr.pk, "correct", **form).status_code == 302
    assert Profile.objects.get(user=subscriber).city == "Nagpur"
    assert _step(client, dsr.pk, "complete").status_code == 302
    dsr.refresh_from_db()
    assert dsr.status == S.COMPLETED and dsr.corrected_fields == ["city"]

    actions = list(AuditEntry.objects.filter(object_ref=dsr.reference)
                   .values_list("action", flat=True))
    for step in ("requests.record", "requests.code.send", "requests.code.verify",
                 "requests.attest", "requests.verified", "requests.start", "requests.correct",
                 "requests.complete"):
        assert step in actions
    update = AuditEntry.objects.get(action="accounts.profile.update")
    assert update.fields == ["city"] and update.actor == f"staff:{staff.pk}"
    assert _values_in_audit("Nagpur", "Pune", subscriber.email, subscriber.profile.name,
                            "Caller says") == []


def test_the_request_list_shows_no_personal_values(client, staff, subscriber):
    """The list names subscribers by customer ID only, never by name, email or notes."""
    dsr = record(staff, subscriber, notes="Wants a copy of everything")
    client.force_login(staff)
    page = client.get(f"{BASE}/").content.decode()
    assert subscriber.customer_id in page and "Overdue requests" in page
    assert 'name="customer"' in client.get(f"{BASE}/add/").content.decode()
    change = client.get(f"{BASE}/{dsr.pk}/change/").content.decode()
    assert "Process this request" in change and 'name="_save"' not in change  # read-only
    for value in (subscriber.email, subscriber.profile.name, "Wants a copy"):
        assert value not in page


def test_a_billing_clerk_cannot_open_requests(client, subscriber):
    """Only support, compliance and superusers see the request pages."""
    dsr = record(make_staff(groups=["support"]), subscriber)
    client.force_login(make_staff(groups=["billing"]))
    assert client.get(f"{BASE}/{dsr.pk}/process/").status_code == 403
    assert client.get(f"{BASE}/overdue/").status_code == 403


def test_a_step_the_state_does_not_allow_is_refused_on_the_page(client, staff, subscriber):
    """Posting "start" for an unverified request changes nothing and says why."""
    dsr = record(staff, subscriber)
    client.force_login(staff)
    response = _step(client, dsr.pk, "start")
    dsr.refresh_from_db()
    assert dsr.status == S.RECEIVED
    page = client.get(response["Location"]).content.decode()
    assert "is not possible while" in page


def test_overdue_requests_are_listed_by_due_date(client, staff, subscriber, other_subscriber):
    """A request received 31 days ago is overdue: it is on the overdue page and under the
    "overdue" filter, the fresh one is not."""
    late = record(staff, subscriber, received_at=clock.now() - timedelta(days=31))
    later = record(staff, other_subscriber, received_at=clock.now() - timedelta(days=40))
    fresh = record(staff, other_subscriber)
    assert list(services.overdue()) == [later, late]
    client.force_login(staff)
    page = client.get(f"{BASE}/overdue/").content.decode()
    assert page.index(later.reference) < page.index(late.reference)
    assert fresh.reference not in page
    listed = client.get(f"{BASE}/?overdue=yes").content.decode()
    assert late.reference in listed and fresh.reference not in listed
    services.deny_request(late, staff, "Duplicate of another request")
    assert late.reference not in client.get(f"{BASE}/overdue/").content.decode()


def test_reminders_are_mailed_once_per_threshold(staff, subscriber):
    """The assignee is mailed 7 days before the due date and again 1 day before, once each."""
    from hostpact.privacy.subject_requests.tasks import send_dsr_reminders

    dsr = record(staff, subscriber)
    t0 = clock.now()

    def mails():
        return OutboxMessage.objects.filter(subject_id=staff.subject_id).count()

    with clock.freeze(t0 + timedelta(days=10)):
        assert send_dsr_reminders.call() == 0
    with clock.freeze(t0 + timedelta(days=23)):  # 7 days left
        assert send_dsr_reminders.call() == 1
        assert send_dsr_reminders.call() == 0
    with clock.freeze(t0 + timedelta(days=26)):
        assert send_dsr_reminders.call() == 0
    with clock.freeze(t0 + timedelta(days=29)):  # 1 day left
        assert send_dsr_reminders.call() == 1
        assert send_dsr_reminders.call() == 0
    assert mails() == 2
    message = OutboxMessage.objects.filter(subject_id=staff.subject_id).latest("id")
    assert message.to_addr == staff.email and dsr.reference in message.subject_line
    assert subscriber.profile.name not in message.body


def test_an_access_request_mails_a_notice_and_staff_download_the_export(client, staff,
                                                                        subscriber):
    """The export is not attached to email: the person is told it is ready, and staff
    download it from the back office, which is an audited read."""
    dsr = verified(staff, subscriber, kind="access")
    before = OutboxMessage.objects.filter(subject_id=subscriber.subject_id).count()
    services.fulfil_access(dsr, staff)
    notices = OutboxMessage.objects.filter(subject_id=subscriber.subject_id)
    assert notices.count() == before + 1
    notice = notices.latest("id")
    assert "ready" in notice.subject_line and subscriber.profile.city not in notice.body
    client.force_login(staff)
    response = client.get(f"{BASE}/{dsr.pk}/export/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert subscriber.email in response.content.decode()
    assert AuditEntry.objects.filter(action="requests.export.download",
                                     subject_id=subscriber.subject_id).exists()
    assert services.complete_request(dsr, staff).status == S.COMPLETED


def test_an_objection_is_recorded_and_the_request_completed(staff, subscriber):
    """An objection to a use no policy version made optional is kept on the request."""
    dsr = verified(staff, subscriber, kind="objection")
    dsr = services.fulfil_objection(dsr, staff, "marketing.communications.email.promotions")
    dsr.refresh_from_db()
    assert dsr.status == S.COMPLETED
    assert dsr.objected_use == "marketing.communications.email.promotions"
    with pytest.raises(services.RequestError) as refused:
        services.fulfil_objection(verified(staff, subscriber, kind="objection"), staff, "bogus")
    assert "use" in refused.value.errors


def test_an_erasure_request_runs_the_engine_and_shreds_the_notes(staff, subscriber):
    """Erasure through support goes through the rights engine; the request's own notes are
    unreadable afterwards while the bare record stays as proof."""
    dsr = verified(staff, subscriber, kind="erasure", notes="Please delete my account")
    dsr = services.fulfil_erasure(dsr, staff)
    assert dsr.status == S.COMPLETED and dsr.erasure_ref.startswith("erasure:")
    dsr = DSR.objects.get(pk=dsr.pk)
    assert dsr.notes is None and dsr.kind == "erasure"
