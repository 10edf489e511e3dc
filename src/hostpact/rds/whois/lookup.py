"""One WHOIS query in, one complete answer out: shared by port 43 and the web page.

Both directories answer from the same code, so the web look-up can never show more (or other)
than port 43. A query is a name (``example.test``, a U-label, any case) or a keyword and a name:
``domain NAME``, ``nameserver NAME``, ``registrar NAME`` (the registrar's name or IANA id). A
bare name is looked up as a domain, then the registrar, then a name server. Domain answers are
the precomputed records of ``rds.records`` (read by ``rds.store``); the rest are small reads.
"""

from dataclasses import dataclass

from hostpact.core import clock
from hostpact.domains.models import SPONSORED_STATES, Nameserver
from hostpact.domains.names import NameRefused, parse_host
from hostpact.rds import store
from hostpact.rds.published import registrar
from hostpact.rds.whois import render

MAX_QUERY_BYTES = 512
KEYWORDS = ("domain", "nameserver", "registrar")
USAGE = ("Send one query line ending in CRLF: a domain name (example.test), "
         '"domain NAME", "nameserver NAME" or "registrar NAME".')


@dataclass(frozen=True)
class Reply:
    """An answer and how the query went (``found``, ``not_found`` or ``bad``) for the log."""

    outcome: str
    text: str


def refusal(reason: str) -> Reply:
    """Return the answer to a query that cannot be looked up, saying why."""
    return Reply("bad", f"Query refused: {reason}{render.CRLF}{USAGE}{render.CRLF}")


def _found(record: str, updated_at=None) -> Reply:
    return Reply("found", render.answer(record, updated_at or clock.now()))


def _no_match(name: str) -> Reply:
    return Reply("not_found", render.answer(render.no_match_text(name), clock.now()))


def _is_registrar(name: str) -> bool:
    reg = registrar()
    wanted = name.strip().casefold()
    return wanted in (str(reg["name"]).casefold(), str(reg["iana_id"]).casefold())


def _domain(ascii_name: str) -> Reply | None:
    found = store.domain_whois(ascii_name)
    return _found(*found) if found else None


def _nameserver(ascii_name: str) -> Reply | None:
    rows = list(Nameserver.objects.filter(host=ascii_name, domain__state__in=SPONSORED_STATES)
                .values_list("addresses", flat=True))
    if not rows:
        return None
    addresses = list(dict.fromkeys(a for row in rows for a in (row or ())))
    return _found(render.nameserver_text(ascii_name, addresses))


def split(query: str) -> tuple[str, str]:
    """Return (keyword or "", name) of a query line without its line ending."""
    head, _, rest = query.strip().partition(" ")
    if head.lower() in KEYWORDS and rest.strip():
        return head.lower(), rest.strip()
    return "", query.strip()


def reply(query: str) -> Reply:
    """Return the answer to one query line (already decoded, line ending removed)."""
    if not query.strip():
        return refusal("the query is empty.")
    if render.clean(query) != query.strip():
        return refusal("the query contains control characters.")
    if len(query.encode()) > MAX_QUERY_BYTES:
        return refusal(f"the query is longer than {MAX_QUERY_BYTES} bytes.")
    keyword, name = split(query)
    if keyword == "registrar":
        return _found(render.registrar_text()) if _is_registrar(name) else _no_match(name)
    try:
        ascii_name = parse_host(name).ascii
    except NameRefused as exc:
        if not keyword and _is_registrar(name):
            return _found(render.registrar_text())
        return refusal(f'"{render.clean(name)[:253]}" is not a valid name: {exc}')
    if keyword == "nameserver":
        answer = _nameserver(ascii_name)
    elif keyword == "domain":
        answer = _domain(ascii_name)
    else:
        answer = (_domain(ascii_name)
                  or (_found(render.registrar_text()) if _is_registrar(name) else None)
                  or _nameserver(ascii_name))
    return answer or _no_match(ascii_name)
