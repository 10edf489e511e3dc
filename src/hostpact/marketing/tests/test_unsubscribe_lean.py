"""The unsubscribe route's lean WSGI path (``marketing.lean``): a one-click POST answered before
Django, with the view's outcomes and words, strict headers and no cookie; every other request
passed on to Django unchanged. Django's test client skips WSGI mounts, so these tests call the
mounted application as the server does."""

import datetime
import logging

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import RequestFactory
from django.urls import reverse

from hostpact.core import clock
from hostpact.core.audit import verify
from hostpact.core.models import AuditEntry
from hostpact.core.mounts import mount
from hostpact.marketing import lean, tokens
from hostpact.marketing.models import SubscriptionChange
from hostpact.marketing.services import is_subscribed
from hostpact.testing.factories import make_subscriber

T0 = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)
ONE_CLICK = b"List-Unsubscribe=One-Click"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def user(db):
    return make_subscriber(country="IN")


@pytest.fixture
def app():
    # As Django's test client does: the test's transaction must outlive each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield mount(WSGIHandler())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def call(app, path: str, method: str = "POST", body: bytes | dict = b"",
         content_type: str = FORM, **extra):
    """Call the WSGI ``app``; return (status, headers with lower-case names, body text)."""
    environ = (RequestFactory().generic(method, path, body, content_type=content_type, **extra)
               if isinstance(body, bytes) else RequestFactory().post(path, body, **extra)).environ
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = int(status.split()[0]), headers

    chunks = app(environ, start_response)
    try:
        text = b"".join(chunks).decode()
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    return seen["status"], {k.lower(): v for k, v in seen["headers"]}, text, seen["headers"]


def url_of(user, list_key="promotions", **kwargs) -> str:
    return reverse("marketing:unsubscribe",
                   args=[tokens.make_token(user.subject_id, list_key, **kwargs)])


def changes_of(user, list_key="promotions"):
    return [(c.subscribed, c.method) for c in
            SubscriptionChange.objects.filter(subject_id=user.subject_id, list_key=list_key)]


@pytest.mark.commitment("C31")
def test_a_one_click_post_unsubscribes_on_the_lean_path_without_a_cookie(user, app):
    """The RFC 8058 POST is answered by the lean path: 200, the view's words, strict headers,
    no cookie; the ledger records one-click and the audit chain gains a verified event."""
    before = AuditEntry.objects.count()
    status, headers, text, raw = call(app, url_of(user), body=ONE_CLICK)
    assert status == 200
    assert "You will no longer receive Promotions from hostpact" in text
    assert not any(name.lower() == "set-cookie" for name, _ in raw)
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "no-store"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["content-security-policy"].startswith("default-src 'none'; style-src 'self'")
    assert int(headers["content-length"]) == len(text.encode())
    assert reverse("marketing:preferences") in text
    assert not is_subscribed(user.subject_id, "promotions")
    assert is_subscribed(user.subject_id, "newsletters")  # only the token's list
    assert changes_of(user)[-1] == (False, "one-click")
    entry = AuditEntry.objects.order_by("-seq").first()
    assert AuditEntry.objects.count() == before + 1
    assert (entry.action, entry.object_ref) == ("marketing.unsubscribe",
                                                "list:promotions:one-click")
    assert verify().ok


@pytest.mark.commitment("C31")
def test_the_pages_button_post_unsubscribes_as_a_link_and_a_replay_writes_nothing(user, app):
    """The button's empty POST records method "link"; the mail program's POST after it answers
    200 with "already unsubscribed" and writes no second ledger row."""
    assert call(app, url_of(user, "newsletters"))[0] == 200
    status, _headers, text, _raw = call(app, url_of(user, "newsletters"), body=ONE_CLICK)
    assert status == 200 and "already unsubscribed from Newsletters" in text
    assert changes_of(user, "newsletters") == [(True, "signup"), (False, "link")]


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-1] + ("a" if t[-1] != "a" else "b"),  # a changed signature
    lambda t: t[:20],  # cut short
    lambda t: "user@example.test",  # an address where the token should be
    lambda t: "%C3%A9" * 10,  # not ASCII
])
def test_a_forged_token_answers_400_and_changes_nothing(user, app, mangle):
    """A damaged or forged token gets the clear 400 page; no row and no event is written."""
    before = AuditEntry.objects.count()
    path = reverse("marketing:unsubscribe", args=["-"])[:-1] + mangle(
        tokens.make_token(user.subject_id, "promotions"))
    status, headers, text, _raw = call(app, path, body=ONE_CLICK)
    assert status == 400 and "This unsubscribe link is not valid" in text
    assert "damaged or was not made by us" in text and "Nothing was changed" in text
    assert headers["cache-control"] == "no-store"
    assert is_subscribed(user.subject_id, "promotions")
    assert changes_of(user) == [(True, "signup")]
    assert AuditEntry.objects.count() == before


def test_an_expired_token_answers_400_with_its_reason(user, app, settings):
    """A token older than MARKETING_UNSUBSCRIBE_TOKEN_DAYS is refused as expired."""
    days = settings.MARKETING_UNSUBSCRIBE_TOKEN_DAYS
    with clock.freeze(T0 + datetime.timedelta(days=days + 1)):
        status, _headers, text, _raw = call(app, url_of(user, issued=T0.date()), body=ONE_CLICK)
    assert status == 400 and "The link has expired" in text
    assert is_subscribed(user.subject_id, "promotions")


def test_a_body_over_the_limit_is_refused_with_413_and_changes_nothing(user, app):
    """A POST body over ``MAX_BODY`` bytes is not read; the answer says so."""
    status, _headers, text, _raw = call(app, url_of(user),
                                        body=ONE_CLICK + b"&x=" + b"y" * lean.MAX_BODY)
    assert status == 413 and f"at most {lean.MAX_BODY} bytes" in text
    assert is_subscribed(user.subject_id, "promotions")


def test_a_get_passes_through_to_the_django_page_with_its_button(user, app):
    """A link scanner's GET reaches Django's page: the state and one button, nothing changed."""
    status, _headers, text, raw = call(app, url_of(user), method="GET")
    assert status == 200
    assert "Unsubscribe from Promotions" in text and text.count('type="submit"') == 1
    assert not any(name.lower() == "set-cookie" for name, _ in raw)
    assert is_subscribed(user.subject_id, "promotions")


def test_a_multipart_one_click_post_is_answered_by_django_as_one_click(user, app):
    """RFC 8058 allows a multipart body; Django's view parses it and records one-click."""
    status, _headers, text, _raw = call(app, url_of(user), body={"List-Unsubscribe":
                                                                 "One-Click"})
    assert status == 200 and "You are unsubscribed" in text
    assert changes_of(user)[-1] == (False, "one-click")


def test_a_fault_answers_500_and_logs_no_token(user, app, monkeypatch, caplog):
    """An unexpected error answers a small 500 page; the log line does not carry the token."""
    def broken(token, *, method):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(lean.links, "unsubscribe_by_token", broken)
    token = tokens.make_token(user.subject_id, "promotions")
    with caplog.at_level(logging.ERROR, logger="hostpact.marketing.lean"):
        status, _headers, text, _raw = call(app, url_of(user), body=ONE_CLICK)
    assert status == 500 and "Something went wrong" in text
    assert caplog.records and token not in caplog.text
