"""The RDAP look-ups (RFC 9082): domain, entity, nameserver, help and the domain search.

Domains and published contacts come from the precomputed records (``store``); the registrar
and the privacy service are rendered from settings, and a nameserver from the name server
rows of the sponsored domains, both cheap. A name is tried as given first (the common case, a
lower-case A-label), and parsed only when that misses, to tell a malformed name (400) from one
that is not ours (404) and to find a U-label's A-label.
"""

import re
from urllib.parse import parse_qs

import orjson
from django.conf import settings

from hostpact.domains.models import SPONSORED_STATES, Nameserver
from hostpact.domains.names import NameRefused, parse_host
from hostpact.rds import store
from hostpact.rds.models import Record
from hostpact.rds.published import registrar
from hostpact.rds.rdap import render, respond

DOMAIN, ENTITY = Record.Kind.DOMAIN.value, Record.Kind.ENTITY.value
_LDH = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
_HANDLE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
HELP = [
    "This server answers RDAP (RFC 9082, RFC 9083) for the domain names this registrar "
    "sponsors; contact data is redacted as RFC 9537 describes unless the contact consented "
    "to publication.",
    "/rdap/domain/NAME: a domain, by A-label or U-label.",
    "/rdap/nameserver/NAME: a name server of a domain sponsored here.",
    "/rdap/entity/HANDLE: a published contact, the registrar (by IANA id) or the privacy "
    "service.",
    "/rdap/domains?name=PREFIX*: domains whose A-label starts with PREFIX.",
    "Queries are limited per client address; over the limit the answer is 429 with "
    "Retry-After.",
]


class NotFound(Exception):
    """Nothing is published under the name asked for."""


class BadQuery(Exception):
    """The query is malformed; the message says how."""


def _parse(text: str):
    try:
        return parse_host(text)
    except NameRefused as refused:
        raise BadQuery(f"{text[:80]!r} is not a valid name: {refused}") from None


def domain(text: str, url: str) -> bytes:
    """The response for ``/domain/<text>``."""
    key = text.rstrip(".").lower() if text.isascii() else ""
    stored = store.one(DOMAIN, key) if _LDH.match(key) else None
    if stored is None:
        name = _parse(text)
        if name.ascii != key:
            key, stored = name.ascii, store.one(DOMAIN, name.ascii)
        if stored is None:
            raise NotFound(f"No domain {name.unicode} is registered through this registrar.")
    return respond.domain_body(stored, respond.url_json(url), key)


def _special_entity(handle: str) -> dict | None:
    if handle == str(registrar()["iana_id"]):
        return render.registrar_entity()
    if handle.upper() == str(settings.DOMAIN_PRIVACY_SERVICE["handle"]).upper():
        return render.privacy_service_entity()
    return None


def entity(handle: str, url: str) -> bytes:
    """The response for ``/entity/<handle>``."""
    if not _HANDLE.match(handle):
        raise BadQuery("A handle is 1 to 64 letters, digits, dots, hyphens or underscores.")
    special = _special_entity(handle)
    if special is not None:
        stored, key = orjson.dumps(special), special["handle"]
    else:
        key = handle
        stored = store.one(ENTITY, handle) or store.one(ENTITY, handle.upper())
        if stored is None:
            raise NotFound(f"No published contact has the handle {handle}.")
    return respond.object_body(stored, respond.url_json(url), "entity", key)


def nameserver(text: str, url: str) -> bytes:
    """The response for ``/nameserver/<text>``: the host as the sponsored domains name it."""
    name = _parse(text)
    rows = list(Nameserver.objects.filter(host=name.ascii, domain__state__in=SPONSORED_STATES)
                .values_list("addresses", flat=True))
    if not rows:
        raise NotFound(f"No domain registered here uses the name server {name.unicode}.")
    addresses = list(dict.fromkeys(a for row in rows for a in (row or [])))
    obj = render.nameserver_object(name.ascii, name.unicode, addresses)
    return respond.object_body(orjson.dumps(obj), respond.url_json(url), "nameserver",
                               name.ascii)


def help_body(url: str) -> bytes:
    """The response for ``/help``."""
    href = f"{respond.site()}{respond.PREFIX}help"
    notice = {"title": "RDAP help", "description": HELP,
              "links": [{"value": url, "rel": "help", "href": href,
                         "type": respond.MEDIA_TYPE}]}
    return respond.document({}, url, notices=[notice])


def _search_name(query_string: str) -> str:
    try:
        params = parse_qs(query_string, keep_blank_values=True, strict_parsing=True,
                          errors="strict", max_num_fields=5)
    except (ValueError, UnicodeError):
        raise BadQuery("The query string is malformed.") from None
    if set(params) != {"name"} or len(params["name"]) != 1:
        raise BadQuery("Search domains with exactly one parameter: ?name=PREFIX* or ?name=NAME.")
    return params["name"][0].strip()


def _members(found, url: str) -> list[dict]:
    return [respond.complete(orjson.loads(body), url, "domain", key) for key, body in found]


def search_domains(query_string: str, url: str) -> bytes:
    """The response for ``/domains?name=``: a trailing ``*`` matches A-label prefixes, up to
    ``settings.RDS_SEARCH_LIMIT`` results, with a truncation notice when there are more."""
    name = _search_name(query_string)
    if not name.endswith("*"):
        ascii_name = _parse(name).ascii
        body = store.one(DOMAIN, ascii_name)
        found = [(ascii_name, body)] if body else []
        return respond.document({"domainSearchResults": _members(found, url)}, url)
    prefix = name[:-1].lower()
    if not prefix or "*" in prefix or not _LDH.match(prefix) or len(prefix) > 253:
        raise BadQuery("A partial search is the start of an A-label name followed by one "
                       "'*', such as exam*.")
    limit = max(1, settings.RDS_SEARCH_LIMIT)
    found = store.by_prefix(DOMAIN, prefix, limit + 1)
    notices = []
    if len(found) > limit:
        found = found[:limit]
        notices = [{"title": "Search Policy", "type": respond.TRUNCATED, "description": [
            f"Search results are limited to {limit} domains; refine the name for the rest."]}]
    return respond.document({"domainSearchResults": _members(found, url)}, url, notices)
