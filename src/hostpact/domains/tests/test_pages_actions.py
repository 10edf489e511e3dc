"""The domain page's actions: name servers, transfer lock, auth code, privacy, auto-renew."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from hostpact.core import clock
from hostpact.domains.models import Domain
from hostpact.domains.services.changes import auth_code_matches
from hostpact.domains.tests.helpers import register

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)
LATER = START + datetime.timedelta(days=61)
ACTIONS = ("nameservers", "transfer_lock", "auth_code", "privacy", "auto_renew")


@pytest.fixture
def panel(client, subscriber):
    client.force_login(subscriber)
    return client


@pytest.fixture
def domain(subscriber):
    with clock.freeze(START):
        return register(subscriber, "actions.test")


def url(action, domain):
    return reverse(f"domains:{action}", args=[domain.name])


def hosts(domain):
    return [(n.host, n.addresses) for n in Domain.objects.get(pk=domain.pk).nameservers.all()]


def test_name_servers_are_replaced_with_glue_for_an_in_zone_host(panel, domain):
    """Three name servers, one inside the domain with its glue, are saved in order."""
    resp = panel.post(url("nameservers", domain), {
        "host_0": "ns1.actions.test", "glue_0": "93.184.216.34, 2606:2800:220:1::53",
        "host_1": "ns.hosting.example", "host_3": "ns2.hosting.example"})
    assert resp.status_code == 302
    assert "are saved" in panel.get(resp["Location"]).content.decode()
    assert hosts(domain) == [("ns1.actions.test", ["93.184.216.34", "2606:2800:220:1::53"]),
                             ("ns.hosting.example", []), ("ns2.hosting.example", [])]


def test_a_bad_name_server_is_named_at_its_row_and_nothing_changes(panel, domain):
    """An in-zone host without glue is refused at its own field (row 3), with a 400."""
    before = hosts(domain)
    resp = panel.post(url("nameservers", domain), {
        "host_0": "ns1.hosting.example", "host_2": "ns9.actions.test"})
    assert resp.status_code == 400
    form = resp.context["form"]
    assert "give its IP addresses (glue)" in form.errors["host_2"][0]
    assert 'id="id_host_2_error"' in resp.content.decode()
    assert hosts(domain) == before


def test_too_few_name_servers_are_refused_for_the_whole_form(panel, domain):
    """One name server is not enough: the form says how many are needed."""
    before = hosts(domain)
    resp = panel.post(url("nameservers", domain), {"host_0": "ns1.hosting.example"})
    assert resp.status_code == 400
    assert "Give 2 to 13 name servers; 1 given." in resp.context["form"].non_field_errors()[0]
    assert hosts(domain) == before


def test_the_lock_cannot_be_lifted_in_the_first_60_days(panel, domain):
    """Lifting the lock right after registration is refused with the date it can be."""
    with clock.freeze(START + datetime.timedelta(days=5)):
        resp = panel.post(url("transfer_lock", domain), {"on": "0"})
    assert resp.status_code == 409
    assert "the lock can be lifted from 2026-04-30" in resp.content.decode()
    assert Domain.objects.get(pk=domain.pk).transfer_locked


def test_the_lock_is_lifted_and_set_again_after_60_days(panel, domain):
    """After the 60 days the lock goes off and back on, each with its message."""
    with clock.freeze(LATER):
        resp = panel.post(url("transfer_lock", domain), {"on": "0"}, follow=True)
        assert "transfer lock of actions.test is lifted" in resp.content.decode()
        assert not Domain.objects.get(pk=domain.pk).transfer_locked
        resp = panel.post(url("transfer_lock", domain), {"on": "1"}, follow=True)
    assert "actions.test is locked" in resp.content.decode()
    assert Domain.objects.get(pk=domain.pk).transfer_locked


def test_the_auth_code_is_shown_once_and_never_stored(panel, domain):
    """The code appears on the answer (not cached, with the warning) and works; the domain's
    page never shows it again and only its hash is kept."""
    resp = panel.post(url("auth_code", domain))
    assert resp.status_code == 200 and resp["Cache-Control"] == "no-store"
    code = resp.context["code"]
    body = resp.content.decode()
    assert "shown only this once" in body and f'value="{code}"' in body
    fresh = Domain.objects.get(pk=domain.pk)
    assert auth_code_matches(fresh, code) and code not in fresh.auth_code_hash
    page = panel.get(reverse("domains:detail", args=[domain.name])).content.decode()
    assert code not in page


@pytest.mark.parametrize("action,field", [("privacy", "privacy"),
                                          ("auto_renew", "auto_renew")])
def test_privacy_and_auto_renew_switch_on_and_off(panel, domain, action, field):
    """Each switch turns its setting off and on, and says so."""
    start = getattr(domain, field)
    for value in ("0" if start else "1", "1" if start else "0"):
        resp = panel.post(url(action, domain), {"on": value}, follow=True)
        assert resp.status_code == 200 and resp.context["messages"]
        assert getattr(Domain.objects.get(pk=domain.pk), field) is (value == "1")


def test_a_switch_without_a_choice_is_refused(panel, domain):
    """``on`` must be 1 or 0: anything else is a 400 that changes nothing."""
    resp = panel.post(url("privacy", domain), {"on": "maybe"})
    assert resp.status_code == 400 and "Choose on or off." in resp.content.decode()
    assert Domain.objects.get(pk=domain.pk).privacy is False


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_needs_its_csrf_token_and_a_post(subscriber, domain, action):
    """Without the CSRF token a POST is refused (403), and a GET is not allowed (405)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(subscriber)
    assert client.post(url(action, domain), {"on": "0"}).status_code == 403
    assert client.get(url(action, domain)).status_code == 405


@pytest.mark.parametrize("action", ACTIONS)
def test_another_subscribers_domain_answers_404_to_every_action(other_subscriber, panel,
                                                                 domain, action):
    """The intruder's POST finds nothing and changes nothing."""
    theirs = register(other_subscriber, f"theirs-{action.replace('_', '-')}.test")
    before = Domain.objects.filter(pk=theirs.pk).values().get()
    resp = panel.post(url(action, theirs), {"on": "0", "host_0": "a.example",
                                            "host_1": "b.example"})
    assert resp.status_code == 404
    assert Domain.objects.filter(pk=theirs.pk).values().get() == before


def test_the_page_forms_are_labelled_and_protected(panel, domain):
    """Each form on the page carries its CSRF token, and each input has a label."""
    body = panel.get(reverse("domains:detail", args=[domain.name])).content.decode()
    assert body.count('name="csrfmiddlewaretoken"') == body.count('method="post"')
    for i in range(13):
        assert f'<label for="id_host_{i}">Name server {i + 1}</label>' in body
        assert f'<label for="id_glue_{i}">Glue addresses of name server {i + 1}</label>' in body
    assert '<label for="renew-years">Renew for</label>' in body
