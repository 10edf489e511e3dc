"""Contacts as RDAP entities: jCards (RFC 7095) and RFC 9537 redaction entries.

One entity per role, so each role's entity is found by ``roles[0]`` and the JSONPath
expressions of the ``redacted`` entries can name it without depending on array order. A
withheld field is marked the way the ICANN RDAP Response Profile (February 2024) asks: the
name and the street, city and postal code stay in the jCard with empty values (method
``emptyValue``, ``postPath``), the handle, phone and email are left out (method ``removal``,
``prePath``). The email's place is taken by a ``contact-uri`` holding the forwarding form.
"""

import re

import pycountry

from hostpact.rds.published import PublishedContact

ROLE_WORDS = {"registrant": "registrant", "admin": "administrative", "tech": "technical",
              "billing": "billing"}
# The prefixes of the RDAP JSON values registered for redacted fields ("Registrant Name", ...).
REDACTED_PREFIX = {"registrant": "Registrant", "admin": "Admin", "tech": "Tech",
                   "billing": "Billing"}
REASON = "Server policy"
PRIVACY_REMARK = {"title": "Privacy service",
                  "description": ["The registrant uses a privacy service: this is the service's "
                                  "contact. Messages sent through the contact form reach the "
                                  "registrant."]}
_PHONE_JUNK = re.compile(r"[\s()-]")  # separators people write


def country_name(code: str) -> str:
    """The English short name of ISO 3166 ``code`` (the code itself if unknown)."""
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code.upper())
    return country.name if country else code


def tel_uri(phone: str) -> str | None:
    """``phone`` as an RFC 3966 global number (``tel:+919876543210``, ``tel:+91.20123``);
    None unless it is one."""
    digits = _PHONE_JUNK.sub("", phone.strip())
    return f"tel:{digits}" if re.fullmatch(r"\+\d{1,3}\.?\d{4,14}", digits) else None


def tel(phone: str, kind: str = "voice") -> list:
    """A jCard ``tel`` property typed ``kind`` (voice or fax)."""
    uri = tel_uri(phone)
    if uri:
        return ["tel", {"type": kind}, "uri", uri]
    return ["tel", {"type": kind}, "text", phone]


def adr(street, city: str, region: str, postal_code: str, country: str) -> list:
    """A structured jCard ``adr`` (seven components) with the ISO country code in ``cc``."""
    lines = list(street)
    street_value = lines if len(lines) > 1 else (lines[0] if lines else "")
    params = {"cc": country.upper()} if country else {}
    return ["adr", params, "text",
            ["", "", street_value, city, region, postal_code, country_name(country)]]


def _card(properties: list) -> list:
    return ["vcard", [["version", {}, "text", "4.0"], *properties]]


def contact_card(pc: PublishedContact) -> list:
    """The jCard of ``pc``: withheld values empty (name, address parts) or left out."""
    withheld = pc.withheld
    props = [["fn", {}, "text", "" if "name" in withheld else pc.name]]
    if pc.organization:
        props.append(["org", {}, "text", pc.organization])
    props.append(adr(pc.street, pc.city, pc.region, pc.postal_code, pc.country))
    if pc.phone and "phone" not in withheld:
        props.append(tel(pc.phone))
    if pc.email and "email" not in withheld:
        props.append(["email", {}, "text", pc.email])
    props.append(["contact-uri", {}, "uri", pc.form_url])
    return _card(props)


def contact_entity(pc: PublishedContact, role: str | None = None) -> dict:
    """The RDAP entity of ``pc`` in ``role`` (default its own role)."""
    entity = {"objectClassName": "entity"}
    if pc.handle and "handle" not in pc.withheld:
        entity["handle"] = pc.handle
    entity["roles"] = [ROLE_WORDS[role or pc.role]]
    entity["vcardArray"] = contact_card(pc)
    if pc.privacy_service:
        entity["remarks"] = [PRIVACY_REMARK]
    return entity


def _entity_path(role: str) -> str:
    return f"$.entities[?(@.roles[0]=='{ROLE_WORDS[role]}')]"


def _prop_path(role: str, prop: str, kind: str = "") -> str:
    test = f"@[0]=='{prop}'" + (f" && @[1].type=='{kind}'" if kind else "")
    return f"{_entity_path(role)}.vcardArray[1][?({test})]"


def _empty(name: str, path: str) -> dict:
    return {"name": {"type": name}, "postPath": path, "pathLang": "jsonpath",
            "method": "emptyValue", "reason": {"description": REASON}}


def _removed(name: str, path: str) -> dict:
    return {"name": {"type": name}, "prePath": path, "pathLang": "jsonpath",
            "method": "removal", "reason": {"description": REASON}}


_redactions: dict[tuple[str, frozenset], tuple[dict, ...]] = {}


def redactions(pc: PublishedContact, role: str) -> list[dict]:
    """The RFC 9537 ``redacted`` entries for what ``pc`` withholds in ``role``. They depend
    on the role and the withheld fields only, so they are made once (treat them as
    read-only: records.rebuild renders them for every redacted contact)."""
    if not pc.withheld:
        return []
    key = (role, pc.withheld)
    if key not in _redactions:
        _redactions[key] = tuple(_entries(role, pc.withheld))
    return list(_redactions[key])


def _entries(role: str, withheld: frozenset) -> list[dict]:
    prefix, entries = REDACTED_PREFIX[role], []
    if "handle" in withheld:
        entries.append(_removed(f"Registry {prefix} ID", f"{_entity_path(role)}.handle"))
    if "name" in withheld:
        entries.append(_empty(f"{prefix} Name", f"{_prop_path(role, 'fn')}[3]"))
    for field, label, index in (("street", "Street", 2), ("city", "City", 3),
                                ("postal_code", "Postal Code", 5)):
        if field in withheld:
            entries.append(_empty(f"{prefix} {label}", f"{_prop_path(role, 'adr')}[3][{index}]"))
    if "phone" in withheld:
        entries.append(_removed(f"{prefix} Phone", _prop_path(role, "tel", "voice")))
    if "fax" in withheld:
        entries.append(_removed(f"{prefix} Fax", _prop_path(role, "tel", "fax")))
    if "email" in withheld:
        entries.append(_removed(f"{prefix} Email", _prop_path(role, "email")))
    return entries
