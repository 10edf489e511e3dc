"""RDAP over a lean WSGI path (decision 0006): ``/rdap/...`` served before Django.

Mounted by ``RdsConfig.wsgi_mounts``. Every request is limited per client address
(``limits``), logged (``querylog``), and answered with JSON: a record found, or an RFC 9083
error (400 malformed, 404 unknown, 405 other methods, 429 over the limit with
``Retry-After``). Anything unexpected is caught and answered 500 in JSON, never a traceback.
HEAD answers the status and headers of GET without the body.
"""

import logging
import re
from urllib.parse import quote

from hostpact.core.http import address_of
from hostpact.rds import limits, querylog
from hostpact.rds.rdap import lookups, respond

log = logging.getLogger(__name__)
PREFIX = respond.PREFIX
_HOST = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$")
_SAFE_PATH = re.compile(r"^[A-Za-z0-9._~/*:@!$&'()+,;=-]*$")
_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
            429: "Too Many Requests", 500: "Internal Server Error"}
_OUTCOMES = {200: "found", 404: "not_found", 429: "limited"}


class Refusal(Exception):
    """An RDAP error answer: ``status``, ``title`` and a description for people."""

    def __init__(self, status: int, title: str, description: str, headers=()):
        super().__init__(description)
        self.status, self.title, self.description = status, title, description
        self.headers = list(headers)


def request_url(environ: dict, path: str) -> str:
    """The URL the client asked for, as a valid URI (a bad Host header gives the site's)."""
    host = environ.get("HTTP_HOST", "")
    if _HOST.match(host):
        base = f"{environ.get('wsgi.url_scheme', 'http')}://{host}"
    else:
        base = respond.site()
    if not _SAFE_PATH.match(path):
        path = quote(path, safe="/*:@!$&'()+,;=-._~")
    query = environ.get("QUERY_STRING", "")
    if query:
        query = quote(query, safe="=&*:@!$'()+,;/?-._~%")
        return f"{base}{path}?{query}"
    return f"{base}{path}"


def _path(environ: dict) -> str:
    # WSGI hands PATH_INFO over as latin-1 text of the raw bytes; U-labels arrive as UTF-8.
    raw = environ.get("PATH_INFO", "")
    try:
        return raw.encode("latin-1").decode("utf-8")
    except UnicodeError:
        raise Refusal(400, "Bad Request", "The path is not valid UTF-8.") from None


def _route(environ: dict, path: str, url: str) -> bytes:
    rest = path[len(PREFIX):]
    kind, _, arg = rest.partition("/")
    if kind == "help" and not arg and "/" not in rest:
        return lookups.help_body(url)
    if kind == "domains" and not arg and "/" not in rest:
        return lookups.search_domains(environ.get("QUERY_STRING", ""), url)
    if kind in ("domain", "entity", "nameserver"):
        if "/" in arg:
            raise Refusal(404, "Not Found", f"There is no RDAP path {path!r}.")
        if not arg:
            raise Refusal(400, "Bad Request", f"Give the {kind} to look up after /{kind}/.")
        return getattr(lookups, kind)(arg, url)
    raise Refusal(404, "Not Found", f"There is no RDAP path {path!r}; see {PREFIX}help.")


def _answer(environ: dict) -> tuple[int, bytes, list]:
    ip = address_of(environ)
    if not limits.allowed(ip):
        wait = limits.retry_after(ip)
        raise Refusal(429, "Too Many Requests", f"Too many queries from {ip}; try again in "
                      f"{wait} seconds.", [("Retry-After", str(wait))])
    method = environ.get("REQUEST_METHOD", "GET")
    if method not in ("GET", "HEAD"):
        raise Refusal(405, "Method Not Allowed", f"RDAP answers GET and HEAD, not {method}.",
                      [("Allow", "GET, HEAD")])
    path = _path(environ)
    return 200, _route(environ, path, request_url(environ, path)), []


def application(environ, start_response):
    """The WSGI callable of ``/rdap/``."""
    extra: list = []
    try:
        status, body, extra = _answer(environ)
    except Refusal as refusal:
        status, extra = refusal.status, refusal.headers
        body = respond.error(status, refusal.title, refusal.description)
    except lookups.NotFound as missing:
        status, body = 404, respond.error(404, "Not Found", str(missing))
    except lookups.BadQuery as bad:
        status, body = 400, respond.error(400, "Bad Request", str(bad))
    except Exception:  # a fault must still answer RDAP JSON, and be logged
        log.exception("RDAP request failed")
        status, body = 500, respond.error(500, "Internal Server Error",
                                          "The server could not answer this query.")
    query = environ.get("PATH_INFO", "")
    if environ.get("QUERY_STRING"):
        query = f"{query}?{environ['QUERY_STRING']}"
    querylog.log_query("rdap", address_of(environ), query,
                       _OUTCOMES.get(status, "bad"))
    headers = [*respond.HEADERS, ("Content-Length", str(len(body))), *extra]
    start_response(f"{status} {_REASONS[status]}", headers)
    if environ.get("REQUEST_METHOD") == "HEAD":
        return [b""]
    return [body]
