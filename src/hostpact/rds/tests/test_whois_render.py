"""The WHOIS answer's text: ICANN's registrar format, its order, CRLF, and the redaction."""

import dataclasses
import re
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from hostpact.core import clock
from hostpact.domains.models import DomainContact
from hostpact.domains.services.contacts import set_publish
from hostpact.rds.published import published_domain
from hostpact.rds.tests.whois_fixtures import (
    START,
    make_idn,
    make_open,
    make_private,
    make_redacted,
)
from hostpact.rds.whois import render
from hostpact.rds.whois.lookup import reply

pytestmark = pytest.mark.django_db
NOW = START.replace(hour=12)

CONTACT_KEYS = ["Name", "Organization", "Street", "Street", "City", "State/Province",
                "Postal Code", "Country", "Phone", "Phone Ext", "Fax", "Fax Ext", "Email"]
ORDER = [
    "Domain Name", "Registry Domain ID", "Registrar WHOIS Server", "Registrar URL",
    "Updated Date", "Creation Date", "Registrar Registration Expiration Date", "Registrar",
    "Registrar IANA ID", "Registrar Abuse Contact Email", "Registrar Abuse Contact Phone",
    "Reseller", "Domain Status",
    "Registry Registrant ID", *[f"Registrant {k}" for k in CONTACT_KEYS],
    "Registry Admin ID", *[f"Admin {k}" for k in CONTACT_KEYS],
    "Registry Tech ID", *[f"Tech {k}" for k in CONTACT_KEYS],
    "Name Server", "Name Server", "DNSSEC", "URL of the ICANN Whois Inaccuracy Complaint Form"]


@pytest.fixture
def open_domain(subscriber):
    return make_open(subscriber)


@pytest.fixture
def redacted_domain(subscriber):
    return make_redacted(subscriber)


@pytest.fixture
def private_domain(subscriber):
    return make_private(subscriber)


@pytest.fixture
def idn_domain(subscriber):
    return make_idn(subscriber)


def ask(query: str) -> str:
    with clock.freeze(NOW):
        return reply(query).text


def fields(text: str) -> list[tuple[str, str]]:
    """The ``Key: value`` lines before the last-update line."""
    record = text.split(">>> Last update")[0]
    return [tuple(line.split(": ", 1)) for line in record.split("\r\n") if line]


def field(text: str, key: str) -> list[str]:
    return [v for k, v in fields(text) if k == key]


@pytest.mark.commitment("C27")
def test_a_published_domain_answers_every_field_in_icann_order(open_domain):
    """A domain whose contacts consented answers the registrar fields of the 2013 RAA
    specification in its order, with the contact, name servers, dates and statuses."""
    text = ask("open-book.test")
    assert [k for k, _ in fields(text)] == ORDER
    values = dict(fields(text))
    assert values["Domain Name"] == "open-book.test"
    assert values["Registry Domain ID"] == open_domain.roid
    assert values["Creation Date"] == "2026-03-01T10:00:00Z"
    assert values["Registrar Registration Expiration Date"] == "2027-03-01T10:00:00Z"
    assert values["Registrar"] == settings.REGISTRAR["name"]
    assert values["Registrar IANA ID"] == settings.REGISTRAR["iana_id"]
    assert values["Reseller"] == ""
    assert field(text, "Domain Status") == [
        "clientTransferProhibited https://icann.org/epp#clientTransferProhibited"]
    assert values["Registrant Name"] == "Asha Public"
    assert field(text, "Registrant Street") == ["12 Hill Road", "Floor 2"]
    assert values["Registrant Phone"] == "+91.9876543210"
    assert values["Registrant Email"] == "asha@open.example"
    assert values["Tech Country"] == "IN"
    assert field(text, "Name Server") == ["ns1.open-book.test", "ns2.hosting.example"]
    assert values["DNSSEC"] == "unsigned"
    assert values["URL of the ICANN Whois Inaccuracy Complaint Form"] == \
        "https://www.icann.org/wicf/"


def test_every_line_ends_in_crlf_and_the_notices_follow_the_last_update(open_domain):
    """No line of the answer ends in a bare LF; the last-update line, a blank line, the
    status-code notice and the terms of use close it."""
    text = ask("open-book.test")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    tail = text.split("URL of the ICANN Whois Inaccuracy Complaint Form: "
                      "https://www.icann.org/wicf/\r\n")[1]
    assert re.match(r">>> Last update of WHOIS database: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ <<<"
                    r"\r\n\r\nFor more information on Whois status codes, please visit "
                    r"https://icann.org/epp\r\n\r\nTERMS OF USE: ", tail)


@pytest.mark.commitment("C27")
def test_an_unpublished_contact_is_redacted_but_for_organization_state_and_country(
        redacted_domain):
    """Name, street, city, postal code, phone, fax and handle read REDACTED FOR PRIVACY;
    organization, state and country stay; the email is the forwarding form's URL; nothing
    withheld appears anywhere in the answer."""
    text = ask("quiet-shop.test")
    one_street = [k for i, k in enumerate(ORDER) if not (k.endswith(" Street")
                                                         and ORDER[i - 1] == k)]
    assert [k for k, _ in fields(text)] == one_street
    for prefix, role in (("Registrant", "registrant"), ("Admin", "admin"), ("Tech", "tech")):
        values = {k.removeprefix(prefix + " "): v for k, v in fields(text)
                  if k.startswith(prefix + " ")}
        for key in ("Name", "Street", "City", "Postal Code", "Phone", "Phone Ext", "Fax",
                    "Fax Ext"):
            assert values[key] == render.REDACTED, key
        assert values["Organization"] == "Quiet Shop"
        assert values["State/Province"] == "Maharashtra" and values["Country"] == "IN"
        assert values["Email"] == (f"{settings.SITE_URL}/whois/contact/quiet-shop.test/"
                                   f"{role}/")
    assert field(text, "Registry Registrant ID") == [render.REDACTED]
    for secret in ("Vikram", "Hidden", "vikram@quiet.example", "7 Lake Street", "Nashik",
                   "422001", "98765"):
        assert secret not in text


@pytest.mark.commitment("C27")
def test_a_privacy_protected_domain_shows_the_service_and_nothing_of_the_customer(
        private_domain):
    """With the privacy service on, every role shows the service's contact and the
    forwarding form; the customer's data appears nowhere."""
    text = ask("private-nest.test")
    service = settings.DOMAIN_PRIVACY_SERVICE
    for prefix in ("Registrant", "Admin", "Tech"):
        assert field(text, f"{prefix} Name") == [service["name"]]
        assert field(text, f"{prefix} City") == [service["city"]]
        assert field(text, f"{prefix} Email")[0].endswith("/whois/contact/private-nest.test/"
                                                          f"{prefix.lower()}/")
    assert field(text, "Registry Registrant ID") == [service["handle"]]
    for secret in ("Meera", "Secret", "meera@nest.example", "3 Palm Lane", "403001"):
        assert secret not in text


@pytest.mark.commitment("C27")
def test_a_withdrawn_consent_is_answered_redacted_at_once(open_domain):
    """A contact who withdraws consent is redacted in the very next answer."""
    contact = DomainContact.objects.get(domain=open_domain, role="registrant").contact
    set_publish(contact, False, actor="system:test")
    text = ask("open-book.test")
    assert field(text, "Registrant Name") == [render.REDACTED]
    assert "Asha Public" not in text


def test_an_unknown_name_answers_no_match_with_the_terms():
    """A name nobody registered answers No match, the last-update line and the terms."""
    text = ask("nobody-here.test")
    assert text.startswith('No match for "nobody-here.test".\r\n>>> Last update of WHOIS '
                           'database: 2026-03-01T12:00:00Z <<<\r\n')
    assert "TERMS OF USE" in text
    assert reply("nobody-here.test").outcome == "not_found"


@pytest.mark.parametrize("query", ["bücher.test", "xn--bcher-kva.test", "XN--BCHER-KVA.TEST",
                                   "BÜCHER.TEST", "domain bücher.test", "DOMAIN bücher.test.",
                                   "  xn--bcher-kva.test  "])
def test_a_domain_is_found_by_u_label_a_label_any_case_and_keyword(idn_domain, query):
    """The look-up normalises the name: U-label or A-label, any case, with ``domain``."""
    answer = reply(query)
    assert answer.outcome == "found"
    assert field(answer.text, "Domain Name") == ["xn--bcher-kva.test"]


def test_a_name_server_answers_its_glue_and_the_registrar(open_domain):
    """``nameserver NAME`` answers the server's name, its glue addresses and the registrar;
    a host used by a domain without glue answers without addresses."""
    text = ask("nameserver NS1.open-book.test")
    assert [k for k, _ in fields(text)] == ["Server Name", "IP Address", "IP Address",
                                            "Registrar", "Registrar WHOIS Server",
                                            "Registrar URL"]
    assert field(text, "IP Address") == ["8.8.8.8", "2001:4860:4860::8888"]
    assert "Last update of WHOIS database" in text
    assert field(ask("nameserver ns2.hosting.example"), "IP Address") == []
    assert ask("nameserver ns9.nowhere.test").startswith('No match for "ns9.nowhere.test".')


def test_the_registrar_answers_by_name_or_iana_id_in_any_case():
    """``registrar NAME`` (or the IANA id, or the bare name) answers the registrar's
    record; another name answers No match."""
    reg = settings.REGISTRAR
    for query in (f"registrar {reg['name'].upper()}", f"registrar {reg['iana_id']}",
                  reg["name"].lower()):
        text = ask(query)
        assert field(text, "Registrar") == [reg["name"]], query
        assert field(text, "Registrar URL") == [reg["url"]]
        assert field(text, "Phone Number") == [reg["phone"]]
    assert ask("registrar Someone Else").startswith('No match for "Someone Else".')


@pytest.mark.parametrize(("query", "reason"), [
    ("", "empty"), ("   ", "empty"), ("exa\tmple.test", "control characters"),
    ("bad..name.test", "not a valid name"), ("-x.test", "not a valid name"),
    ("x" * 600, "longer than 512 bytes")])
def test_a_bad_query_is_refused_saying_why(query, reason):
    """An empty, malformed or over-long query is answered with what is wrong."""
    answer = reply(query)
    assert answer.outcome == "bad"
    assert answer.text.startswith("Query refused: ") and reason in answer.text.split("\r\n")[0]


def test_control_characters_in_values_become_spaces(open_domain):
    """A value holding CR, LF or other control characters is written on its one line."""
    pd = published_domain(open_domain)
    contact = dataclasses.replace(pd.contacts["registrant"], name="Asha\r\nAdmin Name: forged",
                                  organization="Open\x00Book\x85Works\u2028Ltd")
    text = render.domain_text(dataclasses.replace(pd, contacts={**pd.contacts,
                                                                "registrant": contact}))
    assert "Registrant Name: Asha  Admin Name: forged\r\n" in text
    assert "Registrant Organization: Open Book Works Ltd\r\n" in text
    assert text.count("Admin Name: ") == 2  # the forged one stays inside the registrant line


def test_phone_numbers_and_dates_use_epp_and_iso_forms():
    """E.164 numbers read +CC.NUMBER; moments read in UTC with Z."""
    assert render.epp_phone("+919876543210") == "+91.9876543210"
    assert render.epp_phone("+91.2012345600") == "+91.2012345600"
    assert render.iso(START.astimezone(ZoneInfo("Asia/Kolkata"))) == "2026-03-01T10:00:00Z"


@given(st.text(max_size=600))
def test_any_text_gets_an_answer_never_an_error(query):
    """Whatever a client sends, the look-up answers with one of its outcomes in CRLF lines."""
    answer = reply(query)
    assert answer.outcome in ("found", "not_found", "bad")
    assert answer.text.endswith("\r\n") and "\n" not in answer.text.replace("\r\n", "")


def test_hostpact_serve_starts_the_whois_server_on_its_port(settings):
    """The app gives ``hostpact serve`` the WHOIS child on settings.WHOIS_PORT."""
    settings.WHOIS_PORT = 4999
    [(name, argv, banner, port)] = apps.get_app_config("rds").serve_children()
    assert (name, port) == ("whois", 4999)
    assert argv[-4:] == ["hostpact", "whois", "--port", "4999"]
    assert "whois -h 127.0.0.1 -p 4999" in banner
