"""Checks every app's smoke tests make of its pages, written once."""

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
