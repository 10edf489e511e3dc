"""External links are marked and leak nothing; cookies hold no contact data a third party can
read (policy 2.5, C13, C15).

A subscriber with an account, a domain, a plan and an invoice crawls every page reachable by
links from the home page, the control panel, the policy and their domain's WHOIS page
(same-site links only, GET only, a bounded number). On every page each link to another host
carries the external marking and ``rel="noopener noreferrer"``; no address on the page (link,
form, script, frame, image, a redirect) holds the subscriber's email, phone or name; every
response says ``Referrer-Policy: strict-origin-when-cross-origin``; and of every cookie set
along the way only ``hp_username`` may hold contact data, first-party and HttpOnly.
"""

from html.parser import HTMLParser
from urllib.parse import quote, quote_plus, unquote, urljoin, urlsplit

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse

from hostpact.accounts.models import User
from hostpact.consent import social
from hostpact.privacy import cookies
from hostpact.privacy.policy.markdown import render as render_markdown
from hostpact.storefront.tests.helpers import SIGNUP, add_domain, add_plan

MAX_PAGES = 150
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "data", "cite")


class Links(HTMLParser):
    """The links of a page (address, attributes, text) and every address any tag holds."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, dict, str]] = []
        self.addresses: list[str] = []
        self._open: list[tuple[str, dict, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        self.addresses += [attrs[a] for a in URL_ATTRIBUTES if attrs.get(a)]
        if tag == "a" and "href" in attrs:
            self._open.append((attrs["href"], attrs, []))

    def handle_data(self, data):
        for _, _, text in self._open:
            text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            href, attrs, text = self._open.pop()
            self.links.append((href, attrs, "".join(text)))


def ours(url: str) -> bool:
    host = urlsplit(url).hostname
    return host is None or host in {"testserver", urlsplit(settings.SITE_URL).hostname}


def contact_data(user) -> list[str]:
    """The subscriber's email, phone and name, as they could appear in an address."""
    profile = user.subject.profile
    plain = [user.email, profile.phone, profile.phone.lstrip("+"), profile.name]
    return [form for value in plain for form in {value, quote(value), quote_plus(value)}]


@pytest.fixture
def shopper(client, settings, django_capture_on_commit_callbacks):
    """A visitor who accepts every cookie, buys a domain and a plan at checkout (signing up on
    the way) and logs in again with "Remember me"; the client carries their session."""
    from hostpact.storefront.tests.test_checkout import run_fulfilments

    settings.SIGNUP_RATE_PER_HOUR = 1000
    client.post(reverse("consent:choose"), {"action": "accept"})
    add_domain(client, "crawl-stall.test")
    add_plan(client, domain="crawl-stall.test")
    assert client.post(reverse("storefront:checkout"), SIGNUP).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("storefront:checkout"), {}).status_code == 302
    assert run_fulfilments() == ["done"]
    client.post(reverse("accounts:logout"))
    resp = client.post(reverse("accounts:login"), {
        "username": SIGNUP["email"], "password": SIGNUP["password"], "remember": "on"})
    assert resp.status_code == 302
    user = User.objects.get(pk=client.session["_auth_user_id"])
    return user, [resp]


def crawl(client, starts: list[str]):
    """Visit every same-site page linked from ``starts``; return [(url, response, Links)]."""
    skip = {reverse("accounts:logout")}
    queue, seen, visited = list(starts), set(starts), []
    while queue and len(visited) < MAX_PAGES:
        url = queue.pop(0)
        resp = client.get(url)
        links = Links()
        if resp.get("Content-Type", "").startswith("text/html"):
            links.feed(resp.content.decode())
        visited.append((url, resp, links))
        targets = [href for href, _, _ in links.links]
        if resp.status_code in (301, 302) and ours(resp["Location"]):
            targets.append(resp["Location"])
        for href in targets:
            target = urljoin(url, href.split("#")[0])
            if not ours(target) or urlsplit(target).scheme not in ("", "http", "https"):
                continue
            parts = urlsplit(target)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path and path not in seen and parts.path not in skip:
                seen.add(path)
                queue.append(path)
    return visited


@pytest.mark.django_db
@pytest.mark.commitment("C15")
@pytest.mark.commitment("C13")
def test_every_page_marks_external_links_and_no_address_carries_contact_data(client, shopper):
    """Every page reachable from home, the panel and the policy marks each link to another
    host as external with rel noopener noreferrer; no address on any page or in any redirect
    holds the subscriber's email, phone or name; each response has the Referrer-Policy
    strict-origin-when-cross-origin; and the only cookie holding contact data is
    hp_username, first-party and HttpOnly."""
    user, login_responses = shopper
    secrets = contact_data(user)
    # The WHOIS page of the subscriber's domain too: its answer links to ICANN.
    visited = crawl(client, [reverse("storefront:home"), reverse("panel:dashboard"),
                             reverse("policy:current"),
                             reverse("rds:whois") + "?q=crawl-stall.test"])
    paths = {url for url, _, _ in visited}
    assert len(visited) > 20 and {reverse("panel:dashboard"), reverse("policy:current")} <= paths
    problems = []
    for url, resp, links in visited:
        if resp["Referrer-Policy"] != "strict-origin-when-cross-origin":
            problems.append(f"{url}: Referrer-Policy {resp.get('Referrer-Policy')!r}")
        addresses = [*links.addresses, resp.get("Location", "")]
        problems += [f"{url}: contact data in the address {a!r}" for a in addresses
                     if any(s in a or s in unquote(a) for s in secrets)]
        for href, attrs, text in links.links:
            if ours(urljoin("http://testserver" + url, href)) or href.startswith("mailto:"):
                continue
            if ("external" not in attrs.get("class", "").split()
                    or not {"noopener", "noreferrer"} <= set(attrs.get("rel", "").split())
                    or "(external site)" not in text):
                problems.append(f"{url}: unmarked external link {href!r}")
    assert problems == []
    assert any("icann.org" in href for _, _, links in visited for href, _, _ in links.links)
    set_cookies = [m for _, resp, _ in visited for m in resp.cookies.values()]
    set_cookies += [m for resp in login_responses for m in resp.cookies.values()]
    holding = {m.key for m in set_cookies if any(s in unquote(m.value) for s in secrets)}
    assert holding == {"hp_username"}
    for morsel in set_cookies:
        declared = cookies.cookie(morsel.key)
        assert declared is not None and declared.party == "first", morsel.key
    remembered = [m for m in set_cookies if m.key == "hp_username"]
    assert all(m["httponly"] for m in remembered)


@pytest.mark.commitment("C13")
def test_the_cookie_registry_gives_third_parties_no_cookie_of_ours(monkeypatch):
    """Every third-party cookie in the registry is a social provider's own, named for it and
    never under the platform's name; the one declared cookie meant to hold contact data,
    hp_username, is first-party and functional."""
    monkeypatch.setattr(cookies, "_registry", dict(cookies._registry))  # leave it as it was
    social.declare_cookies()
    providers = {p.name for p in social.providers()}
    third = [c for c in cookies.cookies() if c.party == "third"]
    assert third and all(c.provider in providers for c in third)
    remembered = cookies.cookie("hp_username")
    assert (remembered.party, remembered.category) == ("first", "functional")


@pytest.mark.commitment("C15")
def test_the_external_tag_marks_a_link_for_eyes_and_screen_readers():
    """``{% external %}`` writes rel noopener noreferrer, the class, the screen-reader text
    and a hidden icon, and escapes the address and the text."""
    html = Template('{% external url %}Read <b>{{ name }}</b>{% endexternal %}').render(
        Context({"url": "https://www.example.org/?a=1&b=2", "name": "<them>"}))
    assert html.startswith('<a href="https://www.example.org/?a=1&amp;b=2" '
                           'rel="noopener noreferrer" class="external">Read <b>&lt;them&gt;</b>')
    assert '<span class="visually-hidden"> (external site)</span>' in html
    assert '<svg class="external-icon" aria-hidden="true"' in html


@pytest.mark.commitment("C15")
def test_policy_text_marks_links_to_other_hosts_only(settings):
    """A Markdown link in policy text to another host is marked external; one to this site
    or a site path is not."""
    settings.SITE_URL = "https://hostpact.test"
    html = render_markdown("[ICANN](https://www.icann.org/) [us](https://hostpact.test/x/) "
                           "[here](/policy/)")
    assert html.count('class="external"') == 1
    assert '<a href="https://www.icann.org/" rel="noopener noreferrer" class="external">' in html
    assert '<a href="https://hostpact.test/x/">us</a>' in html
