"""Prepared queries answer exactly what the ORM answers, and refuse what they cannot mirror."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hostpact.accounts.models import User
from hostpact.accounts.tests.helpers import web_login
from hostpact.billing.models import PaymentMethod
from hostpact.core.models import Subject
from hostpact.core.prepared import Prepared


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


USER = Prepared(lambda p: User.objects.filter(pk=p("pk", User._meta.pk)))
CARD_WITH_PROFILE = Prepared(lambda p: PaymentMethod.objects.filter(
    user_id=p("user", PaymentMethod._meta.get_field("user")),
).select_related("subject__profile").annotate(two_factor=Exists(
    TOTPDevice.objects.filter(user_id=OuterRef("user_id"), confirmed=True))).order_by("pk"))


@pytest.mark.django_db
def test_instances_equal_the_orm_ones_with_decrypted_fields(subscriber, other_subscriber):
    """Every concrete field, encrypted ones included, has the value the ORM loads."""
    for user in (subscriber, other_subscriber):
        loaded = USER.first(pk=user.pk)
        assert _fields(loaded) == _fields(User.objects.get(pk=user.pk))
        assert loaded.email == user.email and loaded._state.adding is False
    assert USER.first(pk=10**9) is None
    assert USER.all(pk=10**9) == []


@pytest.mark.django_db
def test_select_related_and_annotations_are_filled_in(subscriber):
    """Related rows arrive as the ORM joins them, and annotations are set on the instances."""
    orm = list(PaymentMethod.objects.filter(user_id=subscriber.pk)
               .select_related("subject__profile").annotate(two_factor=Exists(
                   TOTPDevice.objects.filter(user_id=OuterRef("user_id"), confirmed=True)))
               .order_by("pk"))
    mine = CARD_WITH_PROFILE.all(user=subscriber.pk)
    assert len(mine) == len(orm) >= 1
    for a, b in zip(mine, orm, strict=True):
        assert _fields(a) == _fields(b)
        assert _fields(a.subject) == _fields(b.subject)
        assert _fields(a.subject.profile) == _fields(b.subject.profile)
        assert a.two_factor is b.two_factor is False


@pytest.mark.django_db
def test_values_querysets_give_converted_rows_only(subscriber):
    """A values() queryset runs through ``rows``; asking it for instances is an error."""
    probe = Prepared(lambda p: Subject.objects.filter(pk=p("s", Subject._meta.pk))
                     .values("pk", "kind"))
    assert probe.rows(s=subscriber.subject_id) == [(subscriber.subject_id,
                                                    subscriber.subject.kind)]
    with pytest.raises(TypeError, match="rows"):
        probe.all(s=subscriber.subject_id)


@pytest.mark.django_db
def test_queries_it_cannot_mirror_are_refused_when_first_run():
    """defer() and a placeholder that never reaches the SQL fail loudly, not with wrong rows."""
    deferred = Prepared(lambda p: User.objects.filter(pk=p("pk", User._meta.pk)).defer("email"))
    with pytest.raises(TypeError, match="defer"):
        deferred.first(pk=1)
    lost = Prepared(lambda p: (p("unused", User._meta.pk), User.objects.all())[1])
    with pytest.raises(TypeError, match="placeholder"):
        lost.all()


@pytest.mark.django_db
def test_session_store_loads_live_sessions_and_drops_expired_ones(client, subscriber):
    """The compiled session read keeps Django's rules: a live session logs the browser in, an
    expired or unknown key is anonymous, and only the session and user are read."""
    web_login(client, subscriber)
    assert client.get("/bench/logged-in").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/bench/logged-in").status_code == 302
    client.cookies["sessionid"] = "not-a-session-key-at-all"
    assert client.get("/bench/logged-in").status_code == 302


@pytest.mark.django_db
def test_logged_in_constant_reads_only_the_session_and_the_user(
        client, subscriber, django_assert_num_queries):
    """/bench/logged-in, the benchmark's floor, answers the bare constant for two reads."""
    web_login(client, subscriber)
    client.get("/bench/logged-in")
    with django_assert_num_queries(2):
        resp = client.get("/bench/logged-in")
    assert resp.json() == {"status": "ok", "view": "bare"}
