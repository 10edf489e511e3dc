"""Social widgets: a click-to-load placeholder until their category is granted (C05)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.test import RequestFactory

from hostpact.consent import social
from hostpact.consent.state import Consent
from hostpact.privacy import cookies

pytestmark = pytest.mark.django_db
PROVIDER = {"name": "Testshare", "category": "functional", "origin": "https://share.example",
            "script": "https://share.example/widget.js",
            "frame": "https://share.example/frame",
            "collects": "your IP address and the address of this page",
            "cookies": [("ts_id", "Testshare's visitor id.", 86400)]}


@pytest.fixture(autouse=True)
def _provider(settings):
    settings.CONSENT_SOCIAL_PROVIDERS = {"share": PROVIDER}


def home(client):
    resp = client.get("/")
    assert resp.status_code == 200
    return resp, resp.content.decode()


@pytest.mark.commitment("C05")
def test_not_granted_the_home_page_shows_the_placeholder_and_nothing_of_the_provider(client):
    """Before functional consent the share widget is a placeholder naming the provider and
    what it collects, with a form that grants the category and comes back to this page; the
    provider's address is nowhere in the HTML and the CSP does not admit its origin."""
    client.post("/consent/", {"action": "reject"})
    resp, page = home(client)
    assert "share.example" not in page
    assert "share.example" not in resp["Content-Security-Policy"]
    assert "Testshare button, not loaded" in page
    assert "Loading it sends Testshare your IP address and the address of this page" in page
    assert 'name="grant" value="functional"' in page and 'name="next" value="/"' in page


@pytest.mark.commitment("C05")
def test_the_placeholder_button_grants_the_category_and_the_widget_then_loads(client):
    """Posting the placeholder's form grants functional only, redirects back, and the page
    then carries the provider's script and frame, with the origin in script-src and
    frame-src."""
    client.post("/consent/", {"action": "reject"})
    resp = client.post("/consent/", {"grant": "functional", "next": "/"})
    assert resp.status_code == 302 and resp["Location"] == "/"
    resp, page = home(client)
    assert '<script src="https://share.example/widget.js" async nonce=' in page
    assert '<iframe src="https://share.example/frame" title="Testshare"' in page
    policy = dict(part.strip().split(" ", 1)
                  for part in resp["Content-Security-Policy"].split(";"))
    assert "https://share.example" in policy["script-src"].split()
    assert "https://share.example" in policy["frame-src"].split()
    assert "not loaded" not in page


@pytest.mark.commitment("C05")
def test_another_category_does_not_load_the_widget(client):
    """Granting performance and advertising does not load a functional widget."""
    client.post("/consent/", {"action": "save", "categories": ["performance", "advertising"]})
    resp, page = home(client)
    assert "share.example" not in page + resp["Content-Security-Policy"]


def test_without_the_middleware_nothing_is_granted():
    """A request with no consent at all (no middleware) gets the placeholder."""
    request = RequestFactory().get("/somewhere/?q=1")
    html = Template('{% load social %}{% social_widget "share" %}').render(
        Context({"request": request}))
    assert "share.example" not in html and 'value="/somewhere/?q=1"' in html


def test_granted_by_request_consent_the_widget_renders_and_asks_the_csp_for_its_origin():
    """With the category granted the tag renders the provider and adds its origin to the
    response's CSP sources."""
    request = RequestFactory().get("/")
    request.consent = Consent(granted=frozenset({"required", "functional"}), chosen=True)
    html = Template('{% load social %}{% social_widget "share" %}').render(
        Context({"request": request}))
    assert "https://share.example/widget.js" in html
    assert request.csp_sources == {"functional": ["https://share.example"]}


def test_an_unknown_or_misconfigured_provider_is_a_configuration_error(settings):
    """An unknown key, a required category, no address or an address off the origin is
    refused with a message naming the provider."""
    with pytest.raises(ImproperlyConfigured, match="'like'"):
        social.provider("like")
    for bad in ({"category": "required"}, {"script": "", "frame": ""},
                {"script": "https://elsewhere.example/x.js"}):
        settings.CONSENT_SOCIAL_PROVIDERS = {"share": {**PROVIDER, **bad}}
        with pytest.raises(ImproperlyConfigured, match="'share'"):
            social.provider("share")


@pytest.mark.commitment("C05")
def test_the_providers_cookies_are_declared_third_party(monkeypatch):
    """The provider's cookies are in the registry as third-party, under its name."""
    monkeypatch.setattr(cookies, "_registry", dict(cookies._registry))  # leave it as it was
    social.declare_cookies()
    declared = cookies.cookie("ts_id")
    assert (declared.party, declared.provider, declared.category) == (
        "third", "Testshare", "functional")
