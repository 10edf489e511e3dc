"""The WHOIS pages: the look-up for people and the form that reaches a domain's contact."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from hostpact.core.models import AuditEntry, OutboxMessage
from hostpact.domains.models import DomainContact
from hostpact.rds import querylog
from hostpact.rds.models import QueryLog
from hostpact.rds.tests.whois_fixtures import make_open, make_private, make_redacted
from hostpact.rds.whois.lookup import reply
from hostpact.testing.pages import assert_labelled, assert_public

pytestmark = pytest.mark.django_db
SENDER = {"sender_name": "Nila Writer", "sender_email": "nila@sender.example",
          "message": "Is this domain for sale? Please write back."}


@pytest.fixture
def redacted_domain(subscriber):
    return make_redacted(subscriber)


def look_up(client, query: str):
    return client.get(reverse("rds:whois"), {"q": query})


def contact_url(name: str, role: str) -> str:
    return reverse("rds:contact", kwargs={"name": name, "role": role})


def forwarded(subject_id=None) -> list[OutboxMessage]:
    """The messages the contact form queued (to ``subject_id`` if given)."""
    rows = OutboxMessage.objects.all()
    if subject_id:
        rows = rows.filter(subject_id=subject_id)
    return [m for m in rows if "WHOIS contact form" in m.subject_line]


def record_fields(text: str) -> list[tuple[str, str]]:
    record = text.split(">>> Last update")[0]
    return [tuple(line.split(": ", 1)) for line in record.split("\r\n") if line]


def test_the_look_up_page_is_public_and_its_form_labelled(client):
    """``/whois/`` answers without a login, with a labelled search field."""
    assert_public(client, reverse("rds:whois"))
    page = client.get(reverse("rds:whois")).content.decode()
    assert_labelled(page)
    assert 'name="q"' in page and 'role="search"' in page


@pytest.mark.commitment("C27")
def test_the_page_shows_every_field_port_43_answers_and_no_more(client, subscriber,
                                                                 settings):
    """The web answer lists the same keys and values as port 43, redacted the same way."""
    make_open(subscriber)
    domain = make_redacted(subscriber)
    for name in ("open-book.test", "quiet-shop.test"):
        page = html.unescape(look_up(client, name).content.decode())
        for key, value in record_fields(reply(name).text):
            assert f"<dt>{key}</dt>" in page
            assert value in page, (key, value)
    page = look_up(client, "quiet-shop.test").content.decode()
    assert "Vikram" not in page and "vikram@quiet.example" not in page
    assert f'href="{settings.SITE_URL}{contact_url(domain.name, "registrant")}"' in page
    assert_labelled(page)


@pytest.mark.commitment("C27")
def test_a_privacy_protected_domain_shows_the_service_on_the_web(client, subscriber):
    """The page of a domain with the privacy service shows the service, never the customer."""
    make_private(subscriber)
    page = look_up(client, "PRIVATE-NEST.test").content.decode()
    assert "Hostpact Domain Privacy Service" in page
    assert "Meera" not in page and "meera@nest.example" not in page


def test_an_unknown_name_and_a_bad_query_answer_clearly(client):
    """A name nobody holds says No match; a malformed one is a field error (400); an empty
    one asks for a name."""
    resp = look_up(client, "nobody-here.test")
    assert resp.status_code == 200 and "No match for &quot;nobody-here.test&quot;." in \
        resp.content.decode()
    resp = look_up(client, "bad..name.test")
    assert resp.status_code == 400 and "is not a valid name" in resp.content.decode()
    resp = look_up(client, "  ")
    assert resp.status_code == 400 and "Enter a domain name to look up." in \
        resp.content.decode()


@pytest.mark.commitment("C27")
def test_web_look_ups_share_the_per_address_limit_and_are_logged(client, settings,
                                                                  redacted_domain):
    """Past the limit the page answers 429 with Retry-After; each look-up is logged as
    ``web`` with the client's address."""
    settings.RDS_RATE, settings.RDS_RATE_WINDOW_SECONDS = 2, 600
    assert look_up(client, "quiet-shop.test").status_code == 200
    assert look_up(client, "nobody.test").status_code == 200
    limited = look_up(client, "quiet-shop.test")
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    querylog.flush()
    assert sorted(QueryLog.objects.values_list("protocol", "client_ip", "query", "outcome")) \
        == [("web", "127.0.0.1", "nobody.test", "not_found"),
            ("web", "127.0.0.1", "quiet-shop.test", "found"),
            ("web", "127.0.0.1", "quiet-shop.test", "limited")]


def test_the_contact_form_is_labelled_and_unknown_domains_or_roles_are_404(client,
                                                                           redacted_domain):
    """The form has labelled fields; an unknown domain or role answers 404."""
    page = client.get(contact_url("quiet-shop.test", "tech"))
    assert page.status_code == 200
    assert_labelled(page.content.decode())
    assert client.get(contact_url("nobody.test", "tech")).status_code == 404
    assert client.get(contact_url("quiet-shop.test", "boss")).status_code == 404
    assert client.get(contact_url("bad..name", "tech")).status_code == 404


@pytest.mark.commitment("C27")
def test_a_message_is_forwarded_to_the_contact_without_showing_the_address(client,
                                                                          redacted_domain):
    """A sent message is queued to the contact's real address with the sender's name, address
    and text; the confirmation never shows the address; the forward is audited."""
    resp = client.post(contact_url("quiet-shop.test", "admin"), SENDER)
    assert resp.status_code == 200 and "Message sent" in resp.content.decode()
    assert "vikram@quiet.example" not in resp.content.decode()
    contact = DomainContact.objects.get(domain=redacted_domain, role="admin").contact
    [mail] = forwarded(contact.contact_subject_id)
    assert mail.to_addr == "vikram@quiet.example"
    assert "Nila Writer <nila@sender.example>" in mail.body
    assert SENDER["message"] in mail.body and "administrative contact" in mail.body
    entry = AuditEntry.objects.get(action="rds.contact.forward")
    assert entry.subject_id == contact.contact_subject_id
    assert "nila" not in str(entry.fields) + entry.object_ref


@pytest.mark.commitment("C27")
def test_a_message_to_a_private_domain_reaches_the_customer(client, subscriber):
    """For a domain with the privacy service, the service forwards to the customer's
    registrant contact."""
    domain = make_private(subscriber)
    assert client.post(contact_url("private-nest.test", "tech"), SENDER).status_code == 200
    registrant = DomainContact.objects.get(domain=domain, role="registrant").contact
    assert [m.to_addr for m in forwarded(registrant.contact_subject_id)] == [
        "meera@nest.example"]


def test_bad_input_shows_the_form_again_with_field_errors_and_queues_nothing(client,
                                                                            redacted_domain):
    """Missing or malformed fields are named; nothing is queued."""
    before = OutboxMessage.objects.count()
    resp = client.post(contact_url("quiet-shop.test", "registrant"),
                       {"sender_name": " ", "sender_email": "not-an-address", "message": "hi"})
    assert resp.status_code == 400
    body = resp.content.decode()
    assert "Enter your name." in body and "Enter a valid email address." in body
    assert "at least 10 characters" in body
    assert OutboxMessage.objects.count() == before


def test_the_contact_form_requires_the_csrf_token(redacted_domain):
    """A post without the CSRF token is refused."""
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(contact_url("quiet-shop.test", "tech"), SENDER).status_code == 403


@pytest.mark.commitment("C27")
def test_the_contact_form_is_rate_limited_per_address_and_per_domain(client, settings,
                                                                     redacted_domain):
    """Past the hourly limit from one address, or to one domain, the form answers 429 and
    queues nothing more."""
    settings.RDS_CONTACT_FORM_RATE_PER_HOUR = 2
    url = contact_url("quiet-shop.test", "tech")
    assert [client.post(url, SENDER).status_code for _ in range(3)] == [200, 200, 429]
    other = Client(REMOTE_ADDR="198.51.100.7")
    resp = other.post(url, SENDER)
    assert resp.status_code == 429 and "Too many messages" in resp.content.decode()
    assert len(forwarded()) == 2
