"""Policy versions, advance notices and opt-outs of new uses (C36)."""

import datetime
import re
from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from hostpact.accounts.tests.helpers import web_login
from hostpact.core import clock
from hostpact.core.models import AuditEntry, OutboxMessage
from hostpact.privacy import allowed
from hostpact.privacy.policy import services, tasks
from hostpact.privacy.policy.models import PolicyNotice, PolicyVersion
from hostpact.privacy.policy.tests.helpers import NEW_USE, T0, publish_material
from hostpact.testing.factories import make_staff, make_subscriber

pytestmark = pytest.mark.django_db


def notices_of(version):
    return OutboxMessage.objects.filter(category="policy_notice",
                                        id__in=version.notices.values("message_id"))


def test_version_one_is_loaded_by_the_migration():
    """Version 1 is the project's copy of the policy, in force since 23 May 2018."""
    v1 = PolicyVersion.objects.get(number=1)
    assert "Kak Infotech" in v1.text and not v1.material
    assert v1.effective_at.date() in (datetime.date(2018, 5, 22), datetime.date(2018, 5, 23))
    with clock.freeze(T0):
        assert services.in_force() == v1


@pytest.mark.commitment("C36")
def test_material_version_less_than_notice_period_ahead_is_refused(settings):
    """A material change taking effect sooner than POLICY_NOTICE_DAYS after publishing is
    refused with an error on the date, and nothing is published or queued."""
    settings.POLICY_NOTICE_DAYS = 30
    make_subscriber()
    with clock.freeze(T0):
        with pytest.raises(ValidationError) as exc:
            publish_material(days=29)
        assert "effective_at" in exc.value.message_dict
        assert "30 days" in exc.value.message_dict["effective_at"][0]
        assert PolicyVersion.objects.count() == 1
        assert not OutboxMessage.objects.filter(category="policy_notice").exists()
        assert publish_material(days=30).number == 2


def test_bad_versions_are_refused_with_field_errors():
    """Unknown use keys, new uses on a non-material version and a past date are refused."""
    with clock.freeze(T0):
        with pytest.raises(ValidationError) as exc:
            publish_material(uses=["marketing.nonsense"])
        assert "new_uses" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            publish_material(material=False)
        assert "material" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            publish_material(material=False, uses=(), days=-1)
        assert "effective_at" in exc.value.message_dict
    assert PolicyVersion.objects.count() == 1


@pytest.mark.commitment("C36")
def test_publishing_enqueues_the_notice_task_and_the_worker_queues_one_notice_each(
        django_capture_on_commit_callbacks):
    """Publishing a material version enqueues the notice task on commit; run with the enqueued
    arguments it queues one notice per active subscriber (not staff), each with its own
    opt-out link."""
    from django_tasks_db.models import DBTaskResult

    people = [make_subscriber() for _ in range(3)]
    make_staff()
    with clock.freeze(T0):
        with django_capture_on_commit_callbacks(execute=True):
            version = publish_material()
        [queued] = DBTaskResult.objects.filter(
            task_path="hostpact.privacy.policy.tasks.send_policy_notices")
        assert queued.task.call(*queued.args_kwargs["args"]) == 3
    version.refresh_from_db()
    assert version.notices_total == 3 and version.notices_queued == 3
    assert version.notices_finished_at is not None
    mails = list(notices_of(version))
    assert sorted(m.subject_id for m in mails) == sorted(p.subject_id for p in people)
    links = {re.search(r"/policy/opt-out/(\S+)/", m.body).group(1) for m in mails}
    assert len(links) == 3
    assert all(m.to_addr == p.email for p in people for m in mails
               if m.subject_id == p.subject_id)


@pytest.mark.commitment("C36")
def test_killed_notice_run_resumes_without_duplicates(monkeypatch):
    """The notice task killed part-way (a failure injected after 3 messages) and run again
    leaves exactly one notice, and one message, per subscriber; a third run queues nothing."""
    people = [make_subscriber() for _ in range(5)]
    with clock.freeze(T0):
        version = publish_material()
    monkeypatch.setattr(services, "NOTICE_BATCH", 2)
    real_queue_mail, calls = services.queue_mail, {"n": 0}

    def dying_queue_mail(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 3:
            raise SystemExit("worker killed")
        return real_queue_mail(*args, **kwargs)

    monkeypatch.setattr(services, "queue_mail", dying_queue_mail)
    with clock.freeze(T0), pytest.raises(SystemExit):
        tasks.send_policy_notices.call(version.pk)
    assert PolicyNotice.objects.filter(version=version).count() == 2  # the first batch
    assert notices_of(version).count() == 2
    assert OutboxMessage.objects.filter(category="policy_notice").count() == 2  # none orphaned

    monkeypatch.setattr(services, "queue_mail", real_queue_mail)
    with clock.freeze(T0):
        assert tasks.send_policy_notices.call(version.pk) == 3
        assert tasks.send_policy_notices.call(version.pk) == 0
    per_subject = Counter(PolicyNotice.objects.filter(version=version)
                          .values_list("subject_id", flat=True))
    assert per_subject == Counter(p.subject_id for p in people)
    mails = Counter(OutboxMessage.objects.filter(category="policy_notice")
                    .values_list("subject_id", flat=True))
    assert mails == Counter(p.subject_id for p in people)
    version.refresh_from_db()
    assert version.notices_queued == 5


@pytest.mark.commitment("C36")
def test_allowed_waits_for_the_effective_date_and_respects_opt_out_before_it(client):
    """A new use is not allowed before its version takes effect; after, it is allowed for
    those who did not opt out. An opt-out by the notice's link, made before the date, still
    holds after it; the link works without logging in."""
    stays, leaves = make_subscriber(), make_subscriber()
    with clock.freeze(T0):
        assert allowed(stays.subject, NEW_USE)
        version = publish_material()
        services.queue_notices(version.pk)
        assert not allowed(stays.subject, NEW_USE)  # published, not in force yet
        mail = notices_of(version).get(subject_id=leaves.subject_id)
        path = re.search(r"https?://[^/\s]+(/policy/opt-out/\S+/)", mail.body).group(1)
        page = client.get(path)
        assert page.status_code == 200 and NEW_USE in page.content.decode()
        resp = client.post(path, {"uses": [NEW_USE]})
        assert resp.status_code == 200 and "opted out" in resp.content.decode()
    with clock.freeze(version.effective_at + datetime.timedelta(days=1)):
        assert allowed(stays.subject, NEW_USE)
        assert not allowed(leaves.subject, NEW_USE)
        assert not allowed(leaves.subject_id, NEW_USE + "")  # by id too
    assert AuditEntry.objects.filter(action="policy.opt_out",
                                     subject_id=leaves.subject_id).exists()


@pytest.mark.commitment("C36")
def test_opt_out_by_link_after_the_effective_date(client):
    """The notice's link still works after the version took effect."""
    person = make_subscriber()
    with clock.freeze(T0):
        version = publish_material()
        token = services.optout_token(version, person.subject_id)
    with clock.freeze(version.effective_at + datetime.timedelta(days=60)):
        assert allowed(person.subject, NEW_USE)
        client.post(f"/policy/opt-out/{token}/", {"uses": [NEW_USE]})
        assert not allowed(person.subject, NEW_USE)


def test_a_forged_opt_out_link_answers_404(client):
    """A token that was not signed by us opens nothing."""
    assert client.get("/policy/opt-out/not-a-token/").status_code == 404
    assert client.post("/policy/opt-out/not-a-token/", {"uses": [NEW_USE]}).status_code == 404


@pytest.mark.commitment("C36")
def test_panel_switch_turns_a_new_use_off_and_on(client):
    """The panel lists each use a material version added; switching it off makes ``allowed``
    false (before and after the effective date), switching it on again restores it."""
    person = make_subscriber()
    web_login(client, person)
    with clock.freeze(T0):
        version = publish_material()
        page = client.get("/panel/privacy/").content.decode()
        assert NEW_USE in page and "Switch off" in page
        client.post("/panel/privacy/", {"use": NEW_USE, "on": "0"})
        assert "Switch on" in client.get("/panel/privacy/").content.decode()
    after = version.effective_at + datetime.timedelta(days=1)
    with clock.freeze(after):
        assert not allowed(person.subject, NEW_USE)
        client.post("/panel/privacy/", {"use": NEW_USE, "on": "1"})
        assert allowed(person.subject, NEW_USE)
        # Switched off again after the date.
        client.post("/panel/privacy/", {"use": NEW_USE, "on": "0"})
        assert not allowed(person.subject, NEW_USE)


def test_panel_refuses_a_use_no_version_added(client):
    """Essential uses cannot be switched off from the panel; nothing is stored."""
    person = make_subscriber()
    web_login(client, person)
    resp = client.post("/panel/privacy/", {"use": "essential.service", "on": "0"}, follow=True)
    assert "not a use added by a policy version" in resp.content.decode()
    assert allowed(person.subject, "essential.service.notifications.email")


def test_opt_out_of_a_parent_use_covers_its_children():
    """Opting out of a broad use refuses every narrower use under it."""
    person = make_subscriber()
    with clock.freeze(T0):
        version = publish_material(uses=["marketing.communications"])
    with clock.freeze(version.effective_at):
        assert allowed(person.subject, NEW_USE)
        services.opt_out(person.subject_id, version, actor="test")
        assert not allowed(person.subject, NEW_USE)
        assert allowed(person.subject, "essential.service.notifications.email")


def test_allowed_is_false_for_a_use_the_data_map_does_not_declare():
    """Code may not use data for a purpose no field of the data map declares."""
    person = make_subscriber()
    assert not allowed(person.subject, "marketing.advertising.third_party")
    assert allowed(person.subject, "essential.service.account_management")
