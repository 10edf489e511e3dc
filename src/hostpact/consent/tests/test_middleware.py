"""``ConsentMiddleware``: every cookie declared, nothing optional before consent, the CSP (C06)."""

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse, JsonResponse
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hostpact.consent import csp, state
from hostpact.consent.middleware import ConsentMiddleware
from hostpact.consent.models import ConsentRecord
from hostpact.consent.tests.helpers import consent_cookie
from hostpact.privacy import cookies

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _declared_test_cookies():
    cookies.declare_cookie("hp_test_perf", category="performance", purpose="A test cookie.",
                           max_age=60)
    yield
    cookies._registry.pop("hp_test_perf", None)


def _run(view, cookie=None, **headers):
    request = RequestFactory().get("/", headers=headers)
    if cookie:
        request.COOKIES[state.COOKIE] = cookie
    return ConsentMiddleware(view)(request), request


def _sets(name, value="v"):
    def view(request):
        response = HttpResponse("<p>page</p>")
        response.set_cookie(name, value)
        return response
    return view


@pytest.mark.commitment("C06")
def test_an_undeclared_cookie_is_an_error_in_strict_mode(settings):
    """Setting a cookie nobody declared raises ``ImproperlyConfigured`` in development."""
    settings.CONSENT_STRICT_COOKIES = True
    with pytest.raises(ImproperlyConfigured, match="hp_nobody"):
        _run(_sets("hp_nobody"))


@pytest.mark.commitment("C06")
def test_an_undeclared_cookie_is_dropped_and_logged_in_production(settings, caplog):
    """Outside strict mode the undeclared cookie never leaves, and the log names it."""
    settings.CONSENT_STRICT_COOKIES = False
    with caplog.at_level(logging.ERROR, logger="hostpact.consent.middleware"):
        response, _ = _run(_sets("hp_nobody"))
    assert "hp_nobody" not in response.cookies
    assert "hp_nobody" in caplog.text


@pytest.mark.commitment("C06")
def test_a_cookie_of_a_category_not_granted_is_dropped():
    """A performance cookie is dropped without consent and kept with it."""
    response, _ = _run(_sets("hp_test_perf"))
    assert "hp_test_perf" not in response.cookies
    response, _ = _run(_sets("hp_test_perf"), consent_cookie(["performance"]))
    assert "hp_test_perf" in response.cookies


def test_deleting_a_cookie_is_always_allowed():
    """A deletion passes, whatever the consent and even if undeclared."""
    def view(request):
        response = HttpResponse("x")
        response.delete_cookie("hp_test_perf")
        response.delete_cookie("hp_gone_long_ago")
        return response
    response, _ = _run(view)
    assert response.cookies["hp_test_perf"]["max-age"] == 0
    assert "hp_gone_long_ago" in response.cookies


def test_required_cookies_pass_without_consent():
    """The CSRF cookie, required, is set before any choice."""
    response, _ = _run(_sets("csrftoken"))
    assert "csrftoken" in response.cookies


def test_the_request_carries_its_consent_and_gpc():
    """``request.consent`` reads the cookie and the ``Sec-GPC`` header."""
    seen = {}

    def view(request):
        seen["consent"] = request.consent
        return JsonResponse({})
    _run(view, consent_cookie(["functional", "advertising"]), **{"Sec-GPC": "1"})
    consent = seen["consent"]
    assert consent.gpc and consent.chosen
    assert consent.allows("functional") and not consent.allows("advertising")


@pytest.mark.commitment("C05")
def test_the_csp_lets_in_only_the_origins_of_granted_categories():
    """An origin added for a refused category stays out of the policy; a granted one is in."""
    def view(request):
        csp.allow(request, "functional", "https://widgets.example")
        csp.allow(request, "advertising", "https://ads.example")
        return HttpResponse("<p>page</p>")
    response, request = _run(view, consent_cookie(["functional"]))
    policy = response["Content-Security-Policy"]
    assert f"script-src 'self' 'nonce-{request.csp_nonce}' https://widgets.example;" in policy
    assert "frame-src 'self' https://widgets.example;" in policy
    assert "ads.example" not in policy
    assert "default-src 'self'" in policy and "img-src 'self' data:" in policy
    response, _ = _run(view)
    assert "widgets.example" not in response["Content-Security-Policy"]


def test_a_json_response_gets_no_csp():
    """Only HTML responses carry the page policy."""
    response, _ = _run(lambda request: JsonResponse({}))
    assert "Content-Security-Policy" not in response


@pytest.mark.commitment("C06")
@pytest.mark.parametrize("raw", ["forged", "x" * 4000, "WzcsMSwxXQ:bad:sig"])
def test_a_bad_consent_cookie_shows_the_banner_never_a_500(client, raw):
    """A forged, oversized or malformed ``hp_consent`` is no consent: the banner is shown."""
    client.cookies[state.COOKIE] = raw
    response = client.get(reverse("storefront:home"))
    assert response.status_code == 200
    assert 'id="hp-consent"' in response.content.decode()


def test_a_gpc_page_view_records_the_refusal_once(client):
    """The first HTML page under ``Sec-GPC: 1`` writes one GPC receipt and sets
    ``hp_consent``; the next page view writes none; the banner still asks the rest."""
    home = reverse("storefront:home")
    first = client.get(home, headers={"Sec-GPC": "1"})
    [row] = ConsentRecord.objects.all()
    assert row.method == "gpc" and row.refused == ["advertising"]
    assert state.COOKIE in first.cookies
    assert "Global Privacy" in first.content.decode()
    second = client.get(home, headers={"Sec-GPC": "1"})
    assert ConsentRecord.objects.count() == 1
    assert state.COOKIE not in second.cookies
    assert 'id="hp-consent"' in second.content.decode()


def _argument_free_routes(resolver=None, prefix=""):
    """(name, path) of every route of the site that takes no argument, admin aside."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin" or entry.pattern.converters:
                continue
            inner = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _argument_free_routes(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.converters:
            try:
                yield prefix + entry.name, reverse(prefix + entry.name)
            except Exception:  # noqa: BLE001 - a route with regex groups has arguments
                continue


@pytest.mark.commitment("C06")
def test_no_public_page_sets_a_non_required_cookie_before_a_choice():
    """A fresh visitor's GET of every argument-free page sets only declared required cookies."""
    visited = 0
    for _name, path in _argument_free_routes():
        response = Client().get(path)
        visited += 1
        for name, morsel in response.cookies.items():
            declared = cookies.cookie(name)
            assert declared is not None, f"{path} set undeclared cookie {name}"
            assert declared.required or morsel["max-age"] == 0, f"{path} set {name}"
    assert visited > 20


@pytest.mark.commitment("C06")
def test_every_cookie_the_platform_sets_itself_is_declared(settings):
    """Django's session, CSRF and messages cookies and ``hp_consent`` are declared required."""
    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "messages",
                 state.COOKIE):
        assert cookies.cookie(name).required
