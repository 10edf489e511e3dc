"""Validate RDAP responses against ICANN's JSON schemas (the RDAP Conformance Tool's).

The schemas live outside the repository (``../shared/conformance/icann-rdap-json-schema``, or
``HOSTPACT_CONFORMANCE_DIR``); a missing directory fails loudly, never skips. They are loaded
into a ``referencing`` registry by their ``$id`` (each refers to the others by file name).
The tool's custom formats (``status``, ``role``, ``eventAction``, ``rdapExtensions``, ...) are
checked here against the RDAP JSON values and extension identifiers, so a wrong word fails.

ICANN's domain and entity schemas forbid unknown members, and RFC 9537's ``redacted`` is a
registered extension they predate: it is allowed only when ``"redacted"`` is in
``rdapConformance``, checked with a schema made from RFC 9537 §4.2, and removed before the
rest is validated with ICANN's schema unchanged.
"""

import datetime
import functools
import ipaddress
import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import idna
import jsonschema
from django.conf import settings
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

KINDS = ("domain", "entity", "nameserver", "help", "error")
STATUS = {
    "validated", "renew prohibited", "update prohibited", "transfer prohibited",
    "delete prohibited", "proxy", "private", "removed", "obscured", "associated", "active",
    "inactive", "locked", "pending create", "pending renew", "pending transfer",
    "pending update", "pending delete", "add period", "auto renew period",
    "client delete prohibited", "client hold", "client renew prohibited",
    "client transfer prohibited", "client update prohibited", "pending restore",
    "redemption period", "renew period", "server delete prohibited",
    "server renew prohibited", "server transfer prohibited", "server update prohibited",
    "server hold", "transfer period", "administrative", "reserved"}
ROLES = {"registrant", "technical", "administrative", "abuse", "billing", "registrar",
         "reseller", "sponsor", "proxy", "notifications", "noc"}
EVENTS = {"registration", "reregistration", "last changed", "expiration", "deletion",
          "reinstantiation", "transfer", "locked", "unlocked", "last update of RDAP database",
          "registrar expiration", "enum validation expiration"}
NOTICE_TYPES = {f"{what} truncated due to {why}" for what in ("result set", "object")
                for why in ("authorization", "excessive load", "unexplainable reasons")}
NOTICE_TYPES |= {"object redacted due to authorization"}
EXTENSIONS = {"rdap_level_0", "redacted", "icann_rdap_response_profile_0",
              "icann_rdap_response_profile_1", "icann_rdap_technical_implementation_guide_0",
              "icann_rdap_technical_implementation_guide_1", "cidr0", "arin_originas0",
              "nro_rdap_profile_0", "paging", "sorting", "subsetting", "jscontact",
              "exts", "geofeed1", "rdap_objectTag"}
LINK_RELATIONS = {"about", "alternate", "author", "canonical", "collection", "copyright",
                  "describedby", "glossary", "help", "icon", "index", "license", "next",
                  "prev", "previous", "related", "replies", "search", "self", "service",
                  "terms-of-service", "type", "up", "via"}
VARIANT_RELATIONS = {"registered", "unregistered", "registration restricted",
                     "open registration", "conjoined"}
_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MEDIA = re.compile(r"^[\w.+-]+/[\w.+-]+$")

# RFC 9537 §4.2, as a schema.
REDACTED = {
    "type": "array", "items": {
        "type": "object",
        "properties": {
            "name": {"type": "object", "minProperties": 1, "additionalProperties": False,
                     "properties": {"type": {"type": "string"},
                                    "description": {"type": "string"}}},
            "prePath": {"type": "string", "pattern": r"^\$"},
            "postPath": {"type": "string", "pattern": r"^\$"},
            "replacementPath": {"type": "string", "pattern": r"^\$"},
            "pathLang": {"type": "string"},
            "method": {"enum": ["removal", "emptyValue", "partialValue", "replacementValue"]},
            "reason": {"type": "object", "additionalProperties": False,
                       "properties": {"type": {"type": "string"},
                                      "description": {"type": "string"}}},
        },
        "required": ["name"], "additionalProperties": False,
        "allOf": [
            {"if": {"properties": {"method": {"const": "removal"}}},
             "then": {"required": ["prePath"], "not": {"required": ["postPath"]}}},
            {"if": {"properties": {"method": {"enum": ["emptyValue", "partialValue"]}},
                    "required": ["method"]},
             "then": {"required": ["postPath"]}},
            {"if": {"not": {"required": ["method"]}}, "then": {"required": ["prePath"]}},
        ]}}
SEARCH = {"type": "object", "required": ["rdapConformance", "domainSearchResults"],
          "additionalProperties": False,
          "properties": {"rdapConformance": {"$ref": "rdap_conformance.json#"},
                         "notices": {"$ref": "rdap_notices.json#"}, "lang": {"type": "string"},
                         "domainSearchResults": {"type": "array"}}}


class ConformanceMissing(AssertionError):
    """The conformance directory with ICANN's schemas is not where it should be."""


def schema_dir() -> Path:
    """The directory of ICANN's schemas; raise ``ConformanceMissing`` when absent."""
    base = os.environ.get("HOSTPACT_CONFORMANCE_DIR") or getattr(
        settings, "CONFORMANCE_DIR", None) or settings.BASE_DIR.parent / "shared" / "conformance"
    path = Path(base) / "icann-rdap-json-schema"
    if not (path / "rdap_domain.json").is_file():
        raise ConformanceMissing(f"ICANN's RDAP schemas are missing: {path} (set "
                                 "HOSTPACT_CONFORMANCE_DIR to the conformance directory)")
    return path


def _is_hostname(text: str) -> bool:
    name = text.rstrip(".")
    if not name or len(name) > 253:
        return False
    try:
        return all(0 < len(idna.encode(label)) <= 63 for label in name.split("."))
    except (idna.IDNAError, UnicodeError):
        return False


def _is_ip(text: str, version: int) -> bool:
    try:
        return ipaddress.ip_address(text).version == version
    except ValueError:
        return False


def _is_uri(text: str) -> bool:
    if not text.isascii() or any(c.isspace() for c in text):
        return False
    parts = urlsplit(text)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in ("mailto", "tel"))


def _host_of_uri(text: str) -> bool:
    host = urlsplit(text).hostname or ""
    return _is_hostname(host) or _is_ip(host, 4) or _is_ip(host, 6)


def _is_date_time(text: str) -> bool:
    if not _DATE_TIME.match(text):
        return False
    try:
        datetime.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def format_checker() -> jsonschema.FormatChecker:
    """A format checker that knows the ICANN schemas' own formats."""
    checker = jsonschema.FormatChecker()
    checks = {
        "date-time": _is_date_time, "uri": _is_uri, "hostname-in-uri": _host_of_uri,
        "idn-hostname": _is_hostname, "ipv4-validation": lambda v: _is_ip(v, 4),
        "ipv6-validation": lambda v: _is_ip(v, 6), "email": _EMAIL.match,
        "idn-email": _EMAIL.match, "status": STATUS.__contains__, "role": ROLES.__contains__,
        "eventAction": EVENTS.__contains__, "noticeAndRemark": NOTICE_TYPES.__contains__,
        "rdapExtensions": EXTENSIONS.__contains__, "linkRelations": LINK_RELATIONS.__contains__,
        "mediaTypes": _MEDIA.match, "variantRelation": VARIANT_RELATIONS.__contains__,
    }
    for name, check in checks.items():
        checker.checks(name)(lambda value, check=check: not isinstance(value, str)
                             or bool(check(value)))
    return checker


def _root_refs(schema: dict) -> dict:
    """``schema`` without ``$id`` below its root. jcard.json gives its ``vcardArray``
    definition an ``$id`` of its own, which in draft 7 makes that definition's
    ``#/definitions/vcard`` point inside itself, to nothing; ICANN's tool reads ``#`` as the
    file's root, so the nested ``$id`` is dropped on loading (the files stay unchanged)."""
    def strip(node, root=False):
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if root or k != "$id"}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node
    return strip(schema, root=True)


@functools.cache
def _registry_and_schemas() -> tuple[Registry, dict]:
    schemas = {}
    for path in sorted(schema_dir().glob("*.json")):
        schema = _root_refs(json.loads(path.read_text()))
        schemas[schema.get("$id", path.name)] = schema
    registry = Registry().with_resources(
        (sid, Resource.from_contents(s, default_specification=DRAFT7))
        for sid, s in schemas.items())
    return registry, schemas


def _validator(schema: dict) -> jsonschema.Draft7Validator:
    registry, _ = _registry_and_schemas()
    return jsonschema.Draft7Validator(schema, registry=registry,
                                      format_checker=format_checker())


def _check(schema: dict, instance, what: str) -> None:
    errors = sorted(_validator(schema).iter_errors(instance), key=lambda e: list(e.path))
    if errors:
        lines = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
                 for e in errors[:20]]
        raise AssertionError(f"{what} does not validate:\n  " + "\n  ".join(lines))


def _without_redacted(obj: dict, conformance, what: str) -> dict:
    if "redacted" not in obj:
        return obj
    assert "redacted" in (conformance or []), f"{what} has 'redacted' without the extension"
    _check(REDACTED, obj["redacted"], f"{what}: redacted (RFC 9537)")
    return {k: v for k, v in obj.items() if k != "redacted"}


def validate(response: dict, kind: str) -> dict:
    """Check ``response`` (parsed JSON) against the schema of ``kind`` (domain, entity,
    nameserver, help, error or domains, the search); raise AssertionError naming every
    problem. Return the response."""
    _, schemas = _registry_and_schemas()
    conformance = response.get("rdapConformance")
    if kind != "error":
        assert conformance is not None, f"{kind} response without rdapConformance"
        _check(schemas["rdap_conformance.json"], conformance, f"{kind}: rdapConformance")
    if kind == "domains":
        _check(SEARCH, response, "domain search")
        for n, member in enumerate(response["domainSearchResults"]):
            _check(schemas["rdap_domain.json"],
                   _without_redacted(member, conformance, f"search result {n}"),
                   f"search result {n}")
        return response
    if kind not in KINDS:
        raise ValueError(f"unknown RDAP response kind {kind!r}")
    _check(schemas[f"rdap_{kind}.json"], _without_redacted(response, conformance, kind), kind)
    return response
