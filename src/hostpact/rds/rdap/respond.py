"""The request-dependent parts of RDAP responses, made cheaply when serving.

A stored object (``render``) lacks what depends on the request: ``rdapConformance``, the
notices and self links whose ``value`` is the request URL, and the "last update of RDAP
database" event. Those are static JSON with the request URL dropped in, so they are kept as
byte templates split at a marker and joined around the URL's JSON string: no parsing or
dumping of the stored body on the hot path.
"""

import datetime

import orjson
from django.conf import settings
from django.urls import reverse

from hostpact.core import clock
from hostpact.rds.rdap.render import rdap_date

CONFORMANCE = ["rdap_level_0", "redacted", "icann_rdap_response_profile_1",
               "icann_rdap_technical_implementation_guide_1"]
PREFIX = "/rdap/"  # the mount of the lean path (``RdsConfig.wsgi_mounts``)
MEDIA_TYPE = "application/rdap+json"
HEADERS = [("Content-Type", MEDIA_TYPE), ("Access-Control-Allow-Origin", "*"),
           ("X-Content-Type-Options", "nosniff")]
_MARK = "\x00url\x00"  # orjson escapes control characters: this never appears in real text
_MARK_JSON = orjson.dumps(_MARK)
TRUNCATED = "result set truncated due to excessive load"


def site() -> str:
    """The canonical base URL of the site, without a trailing slash."""
    return settings.SITE_URL.rstrip("/")


def _notices(extra=()) -> list[dict]:
    terms = site() + reverse("policy:current")
    return [
        *extra,
        {"title": "Terms of Use", "description": [
            "Registration data is provided for lawful purposes only: to identify and contact "
            "the holder of a domain name about technical, legal or abuse matters. Bulk "
            "collection, marketing use and republication are not permitted; queries are "
            "logged and limited per address."],
         "links": [{"value": _MARK, "rel": "terms-of-service", "href": terms,
                    "type": "text/html"}]},
        {"title": "Status Codes", "description": [
            "For more information on domain status codes, please visit https://icann.org/epp"],
         "links": [{"value": _MARK, "rel": "glossary", "href": "https://icann.org/epp",
                    "type": "text/html"}]},
        {"title": "RDDS Inaccuracy Complaint Form", "description": [
            "URL of the ICANN RDDS Inaccuracy Complaint Form: https://icann.org/wicf"],
         "links": [{"value": _MARK, "rel": "help", "href": "https://icann.org/wicf",
                    "type": "text/html"}]},
    ]


def _split(value) -> tuple[bytes, ...]:
    return tuple(orjson.dumps(value).split(_MARK_JSON))


_heads: dict[str, tuple[bytes, ...]] = {}  # site URL -> the head split at the URL's places


def head(url_json_: bytes, base: str | None = None) -> bytes:
    """``"rdapConformance":[...],"notices":[...]`` with ``url_json_`` as the links' values,
    without the braces (``base``: the site URL, when the caller has it)."""
    base = base or site()
    parts = _heads.get(base)
    if parts is None:
        parts = _heads[base] = _split({"rdapConformance": CONFORMANCE, "notices": _notices()})
    return url_json_.join(parts)[1:-1]


def url_json(url: str) -> bytes:
    """The request URL as a JSON string."""
    return orjson.dumps(url)


def self_link(url_json_: bytes, kind: str, key: str, base: str | None = None) -> bytes:
    """``"links":[{self}]`` for the object ``kind``/``key`` under the canonical site."""
    href = orjson.dumps(f"{base or site()}{PREFIX}{kind}/{key}")
    return (b'"links":[{"value":' + url_json_ + b',"rel":"self","href":' + href
            + b',"type":"application/rdap+json"}]')


def last_update(now: datetime.datetime | None = None) -> bytes:
    """The "last update of RDAP database" event: the records are rewritten with every change,
    so the database is current as of now."""
    return (b'{"eventAction":"last update of RDAP database","eventDate":"'
            + rdap_date(now or clock.now()).encode() + b'"}')


def domain_body(stored: bytes, url_json_: bytes, name: str) -> bytes:
    """The full response for a stored domain object (whose last member is ``events``)."""
    base = site()
    return (b"{" + head(url_json_, base) + b"," + self_link(url_json_, "domain", name, base)
            + b"," + stored[1:-2] + b"," + last_update() + b"]}")


def object_body(stored: bytes, url_json_: bytes, kind: str, key: str) -> bytes:
    """The full response for a stored entity or nameserver object."""
    return (b"{" + head(url_json_) + b"," + self_link(url_json_, kind, key) + b","
            + stored[1:])


def complete(obj: dict, url: str, kind: str, key: str) -> dict:
    """``obj`` (a stored object, parsed) with links and, for a domain, the serve-time event:
    the form of a search result's members."""
    obj = dict(obj)
    obj["links"] = [{"value": url, "rel": "self", "href": f"{site()}{PREFIX}{kind}/{key}",
                     "type": MEDIA_TYPE}]
    if kind == "domain":
        obj["events"] = [*obj["events"], orjson.loads(last_update())]
    return obj


def document(members: dict, url: str, notices=()) -> bytes:
    """A whole response of ``members`` with conformance and the notices (``notices`` first)."""
    doc = {"rdapConformance": CONFORMANCE, "notices": _notices(notices), **members}
    return url_json(url).join(_split(doc))


def error(status: int, title: str, description: str) -> bytes:
    """An RFC 9083 §6 error body."""
    return orjson.dumps({"rdapConformance": CONFORMANCE, "errorCode": status, "title": title,
                         "description": [description]})
