"""RDAP domain answers: what is published, what is redacted as RFC 9537 says, the privacy
service, IDNs, and the ICANN profile's members (C27). Every response passes through ICANN's
schemas (the ``rdap`` fixture)."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db
URL = "http://127.0.0.1:8000/rdap/domain/"


def entities_by_role(doc) -> dict:
    return {e["roles"][0]: e for e in doc["entities"]}


def card(entity) -> dict:
    """The jCard properties of ``entity`` by name (the last of a name wins)."""
    return {p[0]: p for p in entity["vcardArray"][1]}


def redacted_names(doc) -> dict:
    return {r["name"]["type"]: r for r in doc.get("redacted", [])}


@pytest.mark.commitment("C27")
def test_a_published_contact_is_shown_in_full_with_no_redaction(rdap, published_domain):
    """A contact who consented to publication appears with handle, name, address, voice
    phone and email, and the answer names nothing as redacted."""
    doc = rdap("/rdap/domain/published.test").json()
    registrant = entities_by_role(doc)["registrant"]
    props = card(registrant)
    assert registrant["handle"].endswith("-HP")
    assert props["fn"][3] == "Asha Published"
    assert props["email"][3] == "asha@published.example"
    assert props["tel"][1] == {"type": "voice"} and props["tel"][3] == "tel:+919876543210"
    street, city, region, postal, country = props["adr"][3][2:]
    assert (city, region, postal, country) == ("Pune", "Maharashtra", "411001", "India")
    assert street.endswith("Hill Road") and props["adr"][1] == {"cc": "IN"}
    assert "redacted" not in doc


@pytest.mark.commitment("C27")
def test_an_unpublished_contact_is_redacted_as_rfc_9537_says(rdap, redacted_domain):
    """Name, street, city and postal code are present but empty (emptyValue, postPath); the
    handle, phone and email are left out (removal, prePath); organization, region and
    country stay, and the contact URI is the forwarding form."""
    doc = rdap("/rdap/domain/redacted.test").json()
    assert "redacted" in doc["rdapConformance"]
    registrant = entities_by_role(doc)["registrant"]
    props = card(registrant)
    assert "handle" not in registrant and "email" not in props and "tel" not in props
    assert props["fn"][3] == "" and props["org"][3] == "Example Works"
    assert props["adr"][3] == ["", "", "", "", "Maharashtra", "", "India"]
    assert props["contact-uri"][3] == (
        "http://127.0.0.1:8000/whois/contact/redacted.test/registrant/")
    names = redacted_names(doc)
    for role in ("Registrant", "Admin", "Tech", "Billing"):
        for field in ("Name", "Street", "City", "Postal Code"):
            entry = names[f"{role} {field}"]
            assert entry["method"] == "emptyValue" and entry["postPath"].startswith("$.")
            assert "prePath" not in entry and entry["reason"]["description"]
        for field in ("Phone", "Email"):
            entry = names[f"{role} {field}"]
            assert entry["method"] == "removal" and entry["prePath"].startswith("$.")
        assert names[f"Registry {role} ID"]["method"] == "removal"
    assert names["Registrant Name"]["postPath"] == (
        "$.entities[?(@.roles[0]=='registrant')].vcardArray[1][?(@[0]=='fn')][3]")
    assert names["Tech Email"]["prePath"] == (
        "$.entities[?(@.roles[0]=='technical')].vcardArray[1][?(@[0]=='email')]")
    assert names["Registrant Street"]["postPath"].endswith("[?(@[0]=='adr')][3][2]")
    body = rdap("/rdap/domain/redacted.test").body
    assert b"Ravi Contact" not in body and b"Hill Road" not in body
    assert b"@example.test" not in body and b"98765" not in body


@pytest.mark.commitment("C27")
def test_a_privacy_protected_domain_shows_the_service_and_nothing_of_the_customer(
        rdap, private_domain):
    """With the privacy service on, every role is the service's contact with its handle and
    the forwarding form; the customer's name and email appear nowhere."""
    response = rdap("/rdap/domain/private.test")
    doc = response.json()
    service = settings.DOMAIN_PRIVACY_SERVICE
    for role in ("registrant", "administrative", "technical", "billing"):
        entity = entities_by_role(doc)[role]
        assert entity["handle"] == service["handle"]
        assert card(entity)["fn"][3] == service["name"]
        assert card(entity)["email"][3] == service["email"]
        assert card(entity)["contact-uri"][3].startswith(
            "http://127.0.0.1:8000/whois/contact/private.test/")
    assert b"Kavya" not in response.body and b"hidden.example" not in response.body
    assert "redacted" not in doc


@pytest.mark.commitment("C27")
def test_the_domain_object_has_the_profile_members(rdap, redacted_domain):
    """Handle (ROID), ldhName, RDAP status words, the five events, DNSSEC unsigned, exactly
    one registrant, and the registrar with its IANA id and an abuse contact."""
    doc = rdap("/rdap/domain/redacted.test").json()
    assert doc["objectClassName"] == "domain" and doc["handle"] == redacted_domain.roid
    assert doc["ldhName"] == "redacted.test" and "unicodeName" not in doc
    assert doc["status"] == ["client transfer prohibited"]
    events = {e["eventAction"]: e["eventDate"] for e in doc["events"]}
    assert events["registration"] == "2026-03-01T10:00:00Z"
    assert events["expiration"] == events["registrar expiration"] == "2027-03-01T10:00:00Z"
    assert events["last changed"] == "2026-03-01T10:00:00Z"
    assert events["last update of RDAP database"].endswith("Z")
    assert doc["secureDNS"] == {"delegationSigned": False}
    roles = [e["roles"] for e in doc["entities"]]
    assert roles.count(["registrant"]) == 1
    assert sorted(r[0] for r in roles) == ["administrative", "billing", "registrant",
                                          "registrar", "technical"]
    registrar = entities_by_role(doc)["registrar"]
    iana = settings.REGISTRAR["iana_id"]
    assert registrar["handle"] == iana
    assert registrar["publicIds"] == [{"type": "IANA Registrar ID", "identifier": iana}]
    [abuse] = registrar["entities"]
    assert abuse["roles"] == ["abuse"]
    assert card(abuse)["email"][3] == settings.REGISTRAR["abuse_email"]
    assert card(abuse)["tel"][1] == {"type": "voice"}
    assert card(registrar)["adr"][3][3] == settings.REGISTRAR["city"]


@pytest.mark.commitment("C27")
def test_every_tel_is_typed_voice_or_fax(rdap, published_domain, redacted_domain):
    """No jCard anywhere has a tel without a voice or fax type."""
    def tels(node):
        if isinstance(node, list):
            if node and node[0] == "tel" and len(node) == 4:
                yield node
            for item in node:
                yield from tels(item)
        elif isinstance(node, dict):
            for item in node.values():
                yield from tels(item)

    for name in ("published.test", "redacted.test"):
        found = list(tels(rdap(f"/rdap/domain/{name}").json()))
        assert found and all(t[1]["type"] in ("voice", "fax") for t in found)


@pytest.mark.commitment("C27")
def test_notices_and_self_link_carry_the_request_url(rdap, redacted_domain):
    """The terms of service, Status Codes and RDDS Inaccuracy Complaint Form notices are
    there, each link's value the request URL; the self link points at the canonical URL."""
    doc = rdap("/rdap/domain/REDACTED.test", host="rdap.hostpact.test").json()
    requested = "http://rdap.hostpact.test/rdap/domain/REDACTED.test"
    notices = {n["title"]: n for n in doc["notices"]}
    assert {"Terms of Use", "Status Codes", "RDDS Inaccuracy Complaint Form"} <= set(notices)
    assert notices["Status Codes"]["links"][0]["href"] == "https://icann.org/epp"
    assert notices["RDDS Inaccuracy Complaint Form"]["links"][0]["href"] == (
        "https://icann.org/wicf")
    assert {link["value"] for n in doc["notices"] for link in n["links"]} == {requested}
    assert doc["links"] == [{"value": requested, "rel": "self", "href":
                             f"{settings.SITE_URL}/rdap/domain/redacted.test",
                             "type": "application/rdap+json"}]
    assert doc["rdapConformance"] == ["rdap_level_0", "redacted",
                                      "icann_rdap_response_profile_1",
                                      "icann_rdap_technical_implementation_guide_1"]


@pytest.mark.commitment("C27")
def test_an_idn_is_found_by_u_label_and_a_label_with_both_names(rdap, idn_domain):
    """An IDN answers to its U-label and its A-label with ldhName and unicodeName; its
    in-zone name server carries its glue addresses, v4 and v6."""
    by_unicode = rdap("/rdap/domain/bücher-rdap.test").json()
    by_ascii = rdap("/rdap/domain/xn--bcher-rdap-9db.test").json()
    assert by_unicode["ldhName"] == by_ascii["ldhName"] == "xn--bcher-rdap-9db.test"
    assert by_unicode["unicodeName"] == "bücher-rdap.test"
    assert by_unicode["links"][0]["value"] == (
        "http://127.0.0.1:8000/rdap/domain/b%C3%BCcher-rdap.test")
    ns = {n["ldhName"]: n for n in by_unicode["nameservers"]}
    glue = ns["ns1.xn--bcher-rdap-9db.test"]
    assert glue["unicodeName"] == "ns1.bücher-rdap.test"
    assert glue["ipAddresses"] == {"v4": ["8.8.8.8"], "v6": ["2001:4860:4860::8888"]}
    assert "ipAddresses" not in ns["ns2.hosting.example"]


def test_status_words_follow_rfc_8056():
    """EPP status values map to RDAP words: ok is active, the rest split their camel case."""
    from hostpact.rds.rdap.render import rdap_status

    assert rdap_status("ok") == "active"
    assert rdap_status("clientTransferProhibited") == "client transfer prohibited"
    assert rdap_status("serverHold") == "server hold"
    assert rdap_status("pendingDelete") == "pending delete"
    assert rdap_status("autoRenewPeriod") == "auto renew period"
