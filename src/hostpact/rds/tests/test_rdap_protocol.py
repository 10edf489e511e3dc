"""The RDAP server's protocol: media type and CORS, HEAD, errors as JSON for bad input, the
per-address limit, the query log, help, search and the entity and nameserver look-ups (C27).
Every response with a body passes through ICANN's schemas (the ``rdap`` fixture)."""

import pytest
from django.conf import settings

from hostpact.rds import querylog
from hostpact.rds.models import QueryLog
from hostpact.rds.rdap import lean
from hostpact.testing import wsgi

pytestmark = pytest.mark.django_db


@pytest.mark.commitment("C27")
def test_answers_are_rdap_json_open_to_any_origin(rdap, redacted_domain):
    """The media type is application/rdap+json, any origin may read it, and the browser
    must not sniff it."""
    response = rdap("/rdap/domain/redacted.test")
    assert response.status == 200
    assert response.headers["content-type"] == "application/rdap+json"
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert int(response.headers["content-length"]) == len(response.body)


@pytest.mark.commitment("C27")
@pytest.mark.parametrize("path", ["/rdap/domain/redacted.test", "/rdap/domain/absent.test",
                                  "/rdap/domain/-bad-.test", "/rdap/help", "/rdap/nowhere"])
def test_head_answers_the_status_and_headers_of_get_without_a_body(rdap, redacted_domain, path):
    """HEAD has GET's status, type and length, and no body."""
    get, head = rdap(path), rdap(path, method="HEAD")
    assert head.body == b"" and head.status == get.status
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == get.headers["content-length"]


@pytest.mark.commitment("C27")
@pytest.mark.parametrize("path, status", [
    ("/rdap/domain/", 400),
    ("/rdap/domain/exa mple.test", 400),
    ("/rdap/domain/-leading.test", 400),
    ("/rdap/domain/" + "a" * 64 + ".test", 400),
    ("/rdap/domain/" + ".".join(["a" * 60] * 5), 400),
    ("/rdap/domain/xn--a.test", 400),
    ("/rdap/domain/xn--ls8h.test", 400),
    ("/rdap/domain/a..test", 400),
    ("/rdap/domain/ab--cd.test", 400),
    ("/rdap/domain/\u2603\u0300bad.test", 400),
    ("/rdap/domain/..", 400),
    ("/rdap/domain/../../etc/passwd", 404),
    ("/rdap/domain/absent.test", 404),
    ("/rdap/domain/redacted.example", 404),
    ("/rdap/nameserver/ns9.nowhere.test", 404),
    ("/rdap/nameserver/bad_host!", 400),
    ("/rdap/entity/no-such-handle", 404),
    ("/rdap/entity/%00%0a", 400),
    ("/rdap/entity/" + "x" * 200, 400),
    ("/rdap/autnum/64496", 404),
    ("/rdap/", 404),
    ("/rdap/help/more", 404),
    ("/rdap/domains?name=", 400),
    ("/rdap/domains?nsLdhName=ns1.test", 400),
    ("/rdap/domains?name=*", 400),
    ("/rdap/domains?name=a*b*", 400),
    ("/rdap/domains?name=b%C3%BC*", 400),
])
def test_bad_and_unknown_queries_answer_json_errors(rdap, redacted_domain, path, status):
    """Malformed names, over-long labels, invalid IDNs, traversal and unknown paths answer
    400 or 404 with an RDAP error body (errorCode, title, description), never a 500."""
    response = rdap(path)
    doc = response.json()
    assert response.status == status == doc["errorCode"]
    assert doc["title"] and doc["description"] and all(doc["description"])


def test_raw_bytes_that_are_not_utf8_answer_400(rdap):
    """A path whose bytes are not UTF-8 is refused as malformed."""
    response = rdap("/rdap/domain/x", raw_path=b"/rdap/domain/\xff\xfe.test")
    assert response.status == 400 and response.json()["errorCode"] == 400


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS"])
def test_other_methods_are_refused_with_405(rdap, method):
    """Only GET and HEAD are answered; the Allow header says so."""
    response = rdap("/rdap/help", method=method)
    assert response.status == 405 and response.headers["allow"] == "GET, HEAD"
    assert response.json()["errorCode"] == 405


def test_a_fault_answers_500_in_json_not_a_traceback(rdap, monkeypatch):
    """An unexpected failure still answers RDAP JSON."""
    def broken(text, url):
        raise RuntimeError("boom")

    monkeypatch.setattr(lean.lookups, "domain", broken)
    response = rdap("/rdap/domain/any.test")
    assert response.status == 500 and b"boom" not in response.body


def test_a_bad_host_header_does_not_reach_the_links(rdap, redacted_domain):
    """A Host header that is no host name gives the site's own URL as the request URL."""
    doc = rdap("/rdap/domain/redacted.test", host="evil\"host/<x>").json()
    assert doc["links"][0]["value"] == f"{settings.SITE_URL}/rdap/domain/redacted.test"


@pytest.mark.commitment("C27")
def test_over_the_limit_an_address_gets_429_with_retry_after(rdap, redacted_domain, settings):
    """After RDS_RATE queries an address is answered 429 with Retry-After; another address
    and an allowed one are still answered."""
    settings.RDS_RATE, settings.RDS_RATE_WINDOW_SECONDS = 3, 60
    assert [rdap("/rdap/domain/redacted.test").status for _ in range(3)] == [200] * 3
    limited = rdap("/rdap/domain/redacted.test")
    assert limited.status == 429 and limited.json()["errorCode"] == 429
    assert int(limited.headers["retry-after"]) == 20
    assert rdap("/rdap/help", method="HEAD").status == 429
    assert rdap("/rdap/help", remote_addr="192.0.2.99").status == 200
    settings.RDS_ALLOW = ["192.0.2.0/24"]
    assert rdap("/rdap/domain/redacted.test").status == 200


@pytest.mark.commitment("C27")
def test_every_query_is_logged_with_the_client_address_and_outcome(rdap, redacted_domain,
                                                                    settings):
    """Found, not found, malformed and limited queries each leave a query log row."""
    settings.RDS_RATE = 3
    rdap("/rdap/domain/redacted.test", remote_addr="198.51.100.1")
    rdap("/rdap/domain/absent.test", remote_addr="198.51.100.1")
    rdap("/rdap/domains?name=red*", remote_addr="198.51.100.1")
    rdap("/rdap/domain/-x-.test", remote_addr="198.51.100.1")
    querylog.flush()
    rows = list(QueryLog.objects.order_by("pk").values_list("protocol", "client_ip", "query",
                                                            "outcome"))
    assert rows == [("rdap", "198.51.100.1", "/rdap/domain/redacted.test", "found"),
                    ("rdap", "198.51.100.1", "/rdap/domain/absent.test", "not_found"),
                    ("rdap", "198.51.100.1", "/rdap/domains?name=red*", "found"),
                    ("rdap", "198.51.100.1", "/rdap/domain/-x-.test", "limited")]


def test_the_help_answer_lists_the_queries(rdap):
    """/rdap/help answers the conformance and notices, the first describing the paths."""
    doc = rdap("/rdap/help").json()
    assert doc["notices"][0]["title"] == "RDAP help"
    assert any("/rdap/domains?name=" in line for line in doc["notices"][0]["description"])


@pytest.fixture
def many_domains(subscriber):
    from hostpact.domains.tests.helpers import register

    return [register(subscriber, f"many{n}.test") for n in range(4)]


@pytest.mark.commitment("C27")
def test_search_matches_a_label_prefixes_and_says_when_it_truncates(rdap, many_domains,
                                                                    redacted_domain, settings):
    """name=PREFIX* finds domains by A-label prefix, in name order, up to the limit; when
    there are more, a "Search Policy" notice says the result set was truncated."""
    settings.RDS_SEARCH_LIMIT = 10
    doc = rdap("/rdap/domains?name=many*").json()
    assert [d["ldhName"] for d in doc["domainSearchResults"]] == [
        "many0.test", "many1.test", "many2.test", "many3.test"]
    assert "Search Policy" not in {n["title"] for n in doc["notices"]}
    settings.RDS_SEARCH_LIMIT = 2
    doc = rdap("/rdap/domains?name=MANY*").json()
    assert [d["ldhName"] for d in doc["domainSearchResults"]] == ["many0.test", "many1.test"]
    [policy] = [n for n in doc["notices"] if n["title"] == "Search Policy"]
    assert policy["type"] == "result set truncated due to excessive load"
    member = doc["domainSearchResults"][0]
    assert member["links"][0]["href"].endswith("/rdap/domain/many0.test")
    assert "redacted" in member


def test_search_without_a_star_is_an_exact_match(rdap, redacted_domain):
    """name=NAME (no star) finds that domain only, and nothing for an absent one."""
    assert [d["ldhName"] for d in rdap("/rdap/domains?name=redacted.test").json()[
        "domainSearchResults"]] == ["redacted.test"]
    assert rdap("/rdap/domains?name=absent.test").json()["domainSearchResults"] == []


@pytest.mark.commitment("C27")
def test_the_registrar_and_the_privacy_service_are_entities(rdap):
    """The registrar answers by its IANA id, with the public id; the privacy service by its
    handle."""
    iana = settings.REGISTRAR["iana_id"]
    registrar = rdap(f"/rdap/entity/{iana}").json()
    assert registrar["roles"] == ["registrar"] and registrar["handle"] == iana
    assert registrar["publicIds"] == [{"type": "IANA Registrar ID", "identifier": iana}]
    assert registrar["links"][0]["href"].endswith(f"/rdap/entity/{iana}")
    handle = settings.DOMAIN_PRIVACY_SERVICE["handle"]
    service = rdap(f"/rdap/entity/{handle}").json()
    assert service["handle"] == handle and service["remarks"][0]["title"] == "Privacy service"


@pytest.mark.commitment("C27")
def test_a_published_contact_is_an_entity_and_a_redacted_one_is_not(rdap, published_domain,
                                                                     redacted_domain):
    """A published contact's handle answers its entity; a redacted contact has no entity
    (its handle is withheld)."""
    from hostpact.rds.tests.conftest import roles_of

    published = roles_of(published_domain)["registrant"]
    doc = rdap(f"/rdap/entity/{published.handle}").json()
    assert doc["handle"] == published.handle and doc["roles"] == ["registrant"]
    hidden = roles_of(redacted_domain)["registrant"]
    assert rdap(f"/rdap/entity/{hidden.handle}").status == 404


@pytest.mark.commitment("C27")
def test_a_name_server_answers_with_its_glue(rdap, idn_domain):
    """A name server of a sponsored domain answers by either form of its name, with glue."""
    doc = rdap("/rdap/nameserver/ns1.bücher-rdap.test").json()
    assert doc["ldhName"] == "ns1.xn--bcher-rdap-9db.test"
    assert doc["unicodeName"] == "ns1.bücher-rdap.test"
    assert doc["ipAddresses"] == {"v4": ["8.8.8.8"], "v6": ["2001:4860:4860::8888"]}
    assert rdap("/rdap/nameserver/NS2.hosting.example").json()["ldhName"] == (
        "ns2.hosting.example")


def test_the_project_wsgi_application_dispatches_rdap_before_django(redacted_domain):
    """The production WSGI callable sends /rdap/ to the lean app (no Django middleware)."""
    from hostpact.core.mounts import mounts

    assert ("/rdap/", lean.application) in mounts()
    assert wsgi.call(lean.application, "/rdap/help").status == 200
