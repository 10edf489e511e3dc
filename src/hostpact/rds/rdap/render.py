"""The RDAP objects of the precomputed records (RFC 9083, ICANN RDAP profile of 2024).

``domain_object`` and ``entity_object`` render what ``published`` allows into the object
stored in a ``Record``; the parts that depend on the request (``rdapConformance``, notices,
self links, the "last update of RDAP database" event) are added when serving
(``rdap.respond``). ``events`` is always the last member of a stored domain object so the
server can append the serve-time event by splicing bytes instead of parsing the body.
"""

import datetime
import re

from django.conf import settings

from hostpact.rds.published import ROLES, PublishedContact, PublishedDomain, registrar
from hostpact.rds.rdap import vcard

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# RFC 8056 §2: EPP status values and their RDAP words; the rest split their camel case.
_STATUS = {"ok": "active", "inactive": "inactive"}


def rdap_status(epp: str) -> str:
    """The RDAP status word of the EPP status value ``epp`` (RFC 8056)."""
    return _STATUS.get(epp) or _CAMEL.sub(" ", epp).lower()


def rdap_date(moment: datetime.datetime) -> str:
    """``moment`` as RFC 3339 UTC with ``Z``, to the second."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _event(action: str, moment: datetime.datetime) -> dict:
    return {"eventAction": action, "eventDate": rdap_date(moment)}


_registrars: dict[tuple, dict] = {}  # settings.REGISTRAR's items -> its entity


def registrar_entity() -> dict:
    """The registrar's entity: IANA id as handle and public id, its address and an abuse
    contact with email and voice phone (RDAP profile 2.4). Made once per configuration and
    shared by every domain object (read-only)."""
    r = registrar()
    key = tuple(sorted(r.items()))
    if key not in _registrars:
        _registrars[key] = _registrar_entity(r)
    return _registrars[key]


def _registrar_entity(r: dict) -> dict:
    props = [["fn", {}, "text", r["name"]], ["org", {}, "text", r["name"]],
             vcard.adr([r.get("line1", "")] if r.get("line1") else [], r.get("city", ""),
                       r.get("region", ""), r.get("postal_code", ""), r.get("country", ""))]
    if r.get("phone"):
        props.append(vcard.tel(r["phone"]))
    if r.get("email"):
        props.append(["email", {}, "text", r["email"]])
    if r.get("url"):
        props.append(["url", {}, "uri", r["url"]])
    abuse = {"objectClassName": "entity", "roles": ["abuse"], "vcardArray": [
        "vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Abuse contact"],
                  vcard.tel(r["abuse_phone"]), ["email", {}, "text", r["abuse_email"]]]]}
    return {"objectClassName": "entity", "handle": str(r["iana_id"]), "roles": ["registrar"],
            "publicIds": [{"type": "IANA Registrar ID", "identifier": str(r["iana_id"])}],
            "vcardArray": ["vcard", [["version", {}, "text", "4.0"], *props]],
            "entities": [abuse]}


def nameserver_object(host: str, unicode: str, addresses=()) -> dict:
    """A nameserver object: names, and the glue addresses split into v4 and v6."""
    ns = {"objectClassName": "nameserver", "ldhName": host}
    if unicode != host:
        ns["unicodeName"] = unicode
    v4 = [a for a in addresses if ":" not in a]
    v6 = [a for a in addresses if ":" in a]
    if v4 or v6:
        ns["ipAddresses"] = {k: v for k, v in (("v4", v4), ("v6", v6)) if v}
    return ns


def domain_object(pd: PublishedDomain) -> dict:
    """The stored RDAP domain object of ``pd``, with its RFC 9537 ``redacted`` entries;
    ``events`` last."""
    obj = {"objectClassName": "domain", "handle": pd.roid, "ldhName": pd.name}
    if pd.is_idn:
        obj["unicodeName"] = pd.unicode
    obj["status"] = list(dict.fromkeys(rdap_status(s) for s in pd.statuses))
    obj["port43"] = registrar()["whois_server"]
    obj["nameservers"] = [nameserver_object(ns.host, ns.unicode, ns.addresses)
                          for ns in pd.nameservers]
    obj["secureDNS"] = {"delegationSigned": pd.signed}
    entities, redacted = [registrar_entity()], []
    for role in ROLES:
        pc = pd.contacts.get(role)
        if pc is None:
            continue
        entities.append(vcard.contact_entity(pc, role))
        redacted.extend(vcard.redactions(pc, role))
    obj["entities"] = entities
    if redacted:
        obj["redacted"] = redacted
    obj["events"] = [_event("registration", pd.created_at),
                     _event("expiration", pd.expires_at),
                     _event("last changed", pd.updated_at),
                     _event("registrar expiration", pd.expires_at)]
    return obj


def entity_object(pc: PublishedContact) -> dict:
    """The stored RDAP entity of the published contact ``pc`` (an entity look-up)."""
    return vcard.contact_entity(pc)


def privacy_service_entity() -> dict:
    """The privacy service's own entity (``settings.DOMAIN_PRIVACY_SERVICE``), as looked up
    by its handle: outside a domain, its contact URI is its public address."""
    c = settings.DOMAIN_PRIVACY_SERVICE
    street = tuple(line for line in (c.get("line1", ""), c.get("line2", "")) if line)
    pc = PublishedContact(
        "registrant", str(c["handle"]), c["name"], c.get("organization", ""), street,
        c.get("city", ""), c.get("region", ""), c.get("postal_code", ""), c.get("country", ""),
        c.get("phone", ""), c.get("email", ""), f"mailto:{c.get('email', '')}",
        privacy_service=True)
    return vcard.contact_entity(pc)
