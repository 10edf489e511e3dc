"""The RDAP validator itself: ICANN's schemas with their formats checked, RFC 9537's
``redacted`` allowed only with its extension, and a loud failure without the schemas."""

import copy

import orjson
import pytest

from hostpact.testing import rdap_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def domain_doc(rdap, redacted_domain) -> dict:
    return rdap("/rdap/domain/redacted.test").json()


def test_icann_examples_validate():
    """ICANN's own example responses pass, so the validator is not stricter than the tool."""
    examples = rdap_schema.schema_dir().parent / "icann-rdap-examples"
    for name, kind in (("domain-valid.json", "domain"), ("entity-valid.json", "entity"),
                       ("nameserver-valid.json", "nameserver"), ("help-valid.json", "help"),
                       ("error-valid.json", "error")):
        doc = orjson.loads((examples / name).read_bytes())
        doc.setdefault("rdapConformance", ["rdap_level_0"])
        rdap_schema.validate(doc, kind)


@pytest.mark.parametrize("spoil, words", [
    (lambda d: d["status"].append("clientHold"), "status"),
    (lambda d: d["events"].append({"eventAction": "registration", "eventDate": "yesterday"}),
     "eventDate"),
    (lambda d: d["events"].append({"eventAction": "born", "eventDate": "2026-01-01T00:00:00Z"}),
     "eventAction"),
    (lambda d: d["entities"][1]["roles"].append("owner"), "roles"),
    (lambda d: d.update(surprise=1), "surprise"),
    (lambda d: d["rdapConformance"].append("not_an_extension"), "rdapConformance"),
    (lambda d: d["rdapConformance"].remove("redacted"), "redacted"),
    (lambda d: d["redacted"][0].update(method="hidden"), "redacted"),
    (lambda d: d["redacted"][0].pop("prePath"), "redacted"),
    (lambda d: d["links"][0].update(rel="selfish"), "rel"),
    (lambda d: d["links"][0].update(href="not a uri"), "href"),
    (lambda d: d["nameservers"][0].update(ldhName="-" * 70), "ldhName"),
])
def test_a_spoiled_answer_fails_naming_the_problem(domain_doc, spoil, words):
    """Wrong RDAP words, bad dates, unknown members, unregistered extensions, a redacted
    member without its extension or with a bad entry are all caught."""
    doc = copy.deepcopy(domain_doc)
    spoil(doc)
    with pytest.raises(AssertionError, match=words):
        rdap_schema.validate(doc, "domain")


def test_missing_schemas_fail_loudly(monkeypatch, tmp_path):
    """Without the conformance directory the validator raises, it never skips."""
    monkeypatch.setenv("HOSTPACT_CONFORMANCE_DIR", str(tmp_path))
    with pytest.raises(rdap_schema.ConformanceMissing, match="missing"):
        rdap_schema.schema_dir()


def test_search_results_are_validated_member_by_member(rdap, redacted_domain):
    """A search answer is checked as a whole and each result as a domain."""
    doc = rdap("/rdap/domains?name=red*").json()
    doc["domainSearchResults"][0]["objectClassName"] = "entity"
    with pytest.raises(AssertionError, match="search result 0"):
        rdap_schema.validate(doc, "domains")
