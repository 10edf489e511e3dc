"""One-click unsubscribe (RFC 2369, RFC 8058): signed per-recipient tokens, a page that a GET
never changes, a POST that works without cookie or login, and the mailto address."""

import datetime
from email.message import EmailMessage

import pytest
from django.test import Client
from django.urls import reverse

from hostpact.core import clock, inbound
from hostpact.marketing import tokens
from hostpact.marketing.models import SubscriptionChange
from hostpact.marketing.services import is_subscribed, unsubscribe_headers, unsubscribe_url
from hostpact.testing.factories import make_subscriber

T0 = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)
ONE_CLICK = "List-Unsubscribe=One-Click"


@pytest.fixture
def user(db):
    return make_subscriber(country="IN")


def url_of(user, list_key="promotions") -> str:
    return reverse("marketing:unsubscribe", args=[tokens.make_token(user.subject_id, list_key)])


def test_the_headers_carry_https_and_mailto_with_a_token_never_an_address(user, settings):
    """List-Unsubscribe has the site URL and the mailto address; the token holds no address,
    survives lower-casing and fits a local part."""
    settings.SITE_URL = "https://hostpact.test"
    headers = unsubscribe_headers(user.subject_id, "promotions")
    token = tokens.make_token(user.subject_id, "promotions")
    assert headers["List-Unsubscribe"] == (
        f"<https://hostpact.test/u/{token}>, <mailto:unsubscribe+{token}@hostpact.test>")
    assert headers["List-Unsubscribe-Post"] == ONE_CLICK
    assert headers["List-Id"] == "Promotions <promotions.hostpact.test>"
    assert user.email.split("@")[0] not in token and token == token.lower()
    assert len("unsubscribe+" + token) <= 64
    assert tokens.read_token(token.upper()).subject_id == user.subject_id
    assert unsubscribe_url(user.subject_id, "promotions").endswith(f"/u/{token}")


@pytest.mark.commitment("C31")
def test_a_get_shows_the_state_and_one_button_and_changes_nothing(user):
    """A link scanner's GET leaves the subscription as it was."""
    page = Client().get(url_of(user))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Promotions" in text and "subscribed" in text
    assert text.count('type="submit"') == 1 and "csrfmiddlewaretoken" not in text
    assert is_subscribed(user.subject_id, "promotions")
    assert not page.cookies


@pytest.mark.commitment("C31")
def test_a_one_click_post_unsubscribes_without_cookie_or_login(user):
    """The mail program's POST (RFC 8058 body, no cookie, no CSRF token) unsubscribes at once,
    answers 200 and sets no cookie; the change is recorded as one-click."""
    client = Client(enforce_csrf_checks=True)
    answer = client.post(url_of(user), ONE_CLICK,
                         content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 200
    assert "Set-Cookie" not in answer.headers and not answer.cookies
    assert not is_subscribed(user.subject_id, "promotions")
    assert is_subscribed(user.subject_id, "newsletters")  # only the token's list
    change = SubscriptionChange.objects.filter(subject_id=user.subject_id).last()
    assert (change.list_key, change.subscribed, change.method) == ("promotions", False,
                                                                   "one-click")


@pytest.mark.commitment("C31")
def test_the_pages_button_unsubscribes_as_a_link_and_a_replay_is_idempotent(user):
    """The button's POST records method "link"; posting again answers 200, changes nothing."""
    client = Client(enforce_csrf_checks=True)
    assert client.post(url_of(user, "newsletters")).status_code == 200
    again = client.post(url_of(user, "newsletters"), ONE_CLICK,
                        content_type="application/x-www-form-urlencoded")
    assert again.status_code == 200 and "already unsubscribed" in again.content.decode()
    changes = SubscriptionChange.objects.filter(subject_id=user.subject_id,
                                                list_key="newsletters")
    assert [(c.subscribed, c.method) for c in changes] == [(True, "signup"), (False, "link")]


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-1] + ("a" if t[-1] != "a" else "b"),  # a changed signature
    lambda t: t[:20],  # cut short
    lambda t: "0" * len(t),  # not base32
    lambda t: "user@example.test",  # an address where the token should be
])
def test_a_forged_token_answers_400_and_changes_nothing(user, mangle):
    """A damaged or forged token gets a clear 400 page, by GET and by POST; nothing changes."""
    url = reverse("marketing:unsubscribe", args=[mangle(tokens.make_token(user.subject_id,
                                                                          "promotions"))])
    for answer in (Client().get(url), Client().post(url, ONE_CLICK,
                                                   content_type="application/x-www-form-"
                                                                "urlencoded")):
        assert answer.status_code == 400
        assert "not valid" in answer.content.decode()
    assert is_subscribed(user.subject_id, "promotions")


def test_an_expired_token_answers_400_and_changes_nothing(user, settings):
    """A token older than MARKETING_UNSUBSCRIBE_TOKEN_DAYS is refused with its own reason."""
    with clock.freeze(T0):
        url = url_of(user)
    with clock.freeze(T0 + datetime.timedelta(days=settings.MARKETING_UNSUBSCRIBE_TOKEN_DAYS)):
        assert Client().get(url).status_code == 200  # the last valid day
    with clock.freeze(T0 + datetime.timedelta(days=settings.MARKETING_UNSUBSCRIBE_TOKEN_DAYS
                                              + 1)):
        answer = Client().post(url, ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 400 and "expired" in answer.content.decode()
    assert is_subscribed(user.subject_id, "promotions")


def _mail_to(address: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "someone@example.test"
    msg["To"] = address
    msg["Subject"] = "unsubscribe"
    msg.set_content("")
    return msg.as_bytes()


@pytest.mark.commitment("C31")
def test_mail_to_the_mailto_address_unsubscribes_even_lower_cased(user):
    """The inbound server's delivery to unsubscribe+<token> unsubscribes with method mailto;
    a mail server's lower-casing of the local part does not break the token."""
    token = tokens.make_token(user.subject_id, "partner-promotions")
    address = f"UNSUBSCRIBE+{token.upper()}@hostpact.test"
    replies = inbound.deliver("someone@example.test", [address.lower()], _mail_to(address))
    assert replies[0].startswith("250")
    assert not is_subscribed(user.subject_id, "partner-promotions")
    change = SubscriptionChange.objects.filter(subject_id=user.subject_id).last()
    assert (change.list_key, change.method) == ("partner-promotions", "mailto")


def test_mail_to_a_forged_unsubscribe_address_is_rejected_with_550(user):
    """A forged token gets a 550 reply that says why; nothing changes."""
    token = tokens.make_token(user.subject_id, "promotions")
    address = f"unsubscribe+{token[:-2]}zz@hostpact.test"
    replies = inbound.deliver("someone@example.test", [address], _mail_to(address))
    assert replies[0].startswith("550") and "not valid" in replies[0]
    assert is_subscribed(user.subject_id, "promotions")
