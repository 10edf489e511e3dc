"""Checks every app's smoke tests make of its pages, written once."""

from html.parser import HTMLParser

from django.urls import reverse

from hostpact.testing.factories import signup_data


def assert_public(client, url: str) -> None:
    """Assert that ``url`` answers 200 without a login."""
    assert client.get(url).status_code == 200


def assert_login_required(client, subscriber, url: str) -> None:
    """Assert that ``url`` sends a visitor to the login page and answers 200 for
    ``subscriber`` once logged in through the login form."""
    resp = client.get(url)
    login_page = reverse("accounts:login")
    assert resp.status_code == 302 and resp["Location"].startswith(login_page)
    login = client.post(login_page, {"username": subscriber.email,
                                     "password": signup_data()["password"]})
    assert login.status_code == 302
    assert client.get(url).status_code == 200


class _Controls(HTMLParser):
    """Collect a page's form controls and the ids its labels point at."""

    def __init__(self):
        super().__init__()
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.ids: set[str] = set()
        self.described_by: set[str] = set()
        self.open_labels = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        self.described_by.update((attrs.get("aria-describedby") or "").split())
        if tag == "label":
            self.open_labels += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        elif tag in ("input", "select", "textarea") and attrs.get("type") not in (
                "hidden", "submit", "button", "reset", "image"):
            self.controls.append({**attrs, "_tag": tag, "_wrapped": self.open_labels > 0})

    def handle_endtag(self, tag):
        if tag == "label" and self.open_labels:
            self.open_labels -= 1


def assert_labelled(html: str) -> None:
    """Assert that every form control of ``html`` has a label (a ``<label for>``, a wrapping
    ``<label>``, or ``aria-label``/``aria-labelledby``), as WCAG 2.2 SC 1.3.1 and 4.1.2 ask,
    and that every ``aria-describedby`` names an element of the page."""
    parser = _Controls()
    parser.feed(html)
    unlabelled = [c for c in parser.controls
                  if not (c["_wrapped"] or c.get("id") in parser.label_for
                          or c.get("aria-label") or c.get("aria-labelledby"))]
    assert not unlabelled, f"controls without a label: {unlabelled}"
    missing = parser.described_by - parser.ids
    assert not missing, f"aria-describedby names no element: {sorted(missing)}"
