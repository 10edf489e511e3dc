"""One-click unsubscribe over a lean WSGI path: ``POST /u/<token>`` answered before Django.

Mail programs press RFC 8058's unsubscribe button for a campaign's recipients within minutes,
and Django's middleware and templates cost more than the write itself. So
``MarketingConfig.wsgi_mounts`` sends the unsubscribe route here (``core.mounts``, as RDAP's,
decision 0006). A POST is answered here: the RFC 8058 body (``List-Unsubscribe=One-Click``)
unsubscribes with method one-click, any other form body (the page's button) with method link,
both through ``unsubscribe.unsubscribe_by_token`` like the Django view. Every other request goes
to Django unchanged: the GET page with its button, other methods, a multipart body, a path
that is not a token's and a plain-HTTP request the site redirects to HTTPS.

The answer is a small page of its own, with strict headers and never a cookie: the token in
the URL is the credential. A forged or expired token answers 400 and changes nothing, a body
over ``MAX_BODY`` 413, and a fault 500 with a log line that does not carry the token.
"""

import html
import logging
from functools import cache
from urllib.parse import parse_qsl

from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse

from hostpact.marketing import lists, tokens
from hostpact.marketing import unsubscribe as links
from hostpact.marketing.services.subscriptions import Method, NotLeavable

log = logging.getLogger(__name__)
MAX_BODY = 1024  # the RFC 8058 body is 26 bytes; the button's is empty
ONE_CLICK = ("List-Unsubscribe", "One-Click")
FORM = "application/x-www-form-urlencoded"
_REASONS = {200: "OK", 400: "Bad Request", 413: "Content Too Large",
            500: "Internal Server Error"}
CSP = ("default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; "
       "frame-ancestors 'none'")


class Refusal(Exception):
    """A request answered with an error page: ``status``, a heading, what happened and which
    of ``_AFTER``'s lines tells what to do."""

    def __init__(self, status: int, heading: str, text: str, after: str = "other"):
        super().__init__(heading)
        self.status, self.heading, self.text, self.after = status, heading, text, after


@cache
def prefix() -> str:
    """Return the path prefix of the unsubscribe route (its token follows it), without the
    script prefix, as PATH_INFO has it."""
    path = reverse("marketing:unsubscribe", args=["-"])[:-1]
    return "/" + path[len(get_script_prefix()):]


@cache
def _django() -> WSGIHandler:
    # One handler for the requests passed on, built on first use like the server's own.
    return WSGIHandler()


@cache
def _links() -> tuple[str, str]:
    return static("hostpact/site.css"), reverse("marketing:preferences")


def _secure(environ: dict) -> bool:
    if environ.get("wsgi.url_scheme") == "https":
        return True
    header = settings.SECURE_PROXY_SSL_HEADER
    return bool(header) and environ.get(header[0], "").split(",")[0].strip() == header[1]


def _passes_on(environ: dict) -> bool:
    """Return True when Django answers this request: not a POST of a token's path."""
    if environ.get("REQUEST_METHOD") != "POST":
        return True
    token = environ.get("PATH_INFO", "")[len(prefix()):]
    if not token or "/" in token:
        return True  # not the route's path: Django's resolver answers it
    if settings.SECURE_SSL_REDIRECT and not _secure(environ):
        return True  # SecurityMiddleware redirects it
    return environ.get("CONTENT_TYPE", "").lower().startswith("multipart/")


def _form(environ: dict) -> list[tuple[str, str]]:
    """Return the POST's form fields, read from a body of at most ``MAX_BODY`` bytes."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise Refusal(400, "This request is not valid",
                      "Its Content-Length is not a number. Nothing was changed.") from None
    if length < 0:
        raise Refusal(400, "This request is not valid",
                      "Its Content-Length is negative. Nothing was changed.")
    if length > MAX_BODY:
        raise Refusal(413, "This request is too large",
                      f"An unsubscribe request carries at most {MAX_BODY} bytes. "
                      "Nothing was changed.")
    body = environ["wsgi.input"].read(length) if length else b""
    if environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower() != FORM:
        return []  # as Django's request.POST: only a form body has fields
    return parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)


def _token(environ: dict) -> str:
    # WSGI hands PATH_INFO over as latin-1 text of the raw bytes (a token is ASCII).
    raw = environ.get("PATH_INFO", "")[len(prefix()):]
    try:
        return raw.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return ""  # not a token: refused as one


def _bad_token(exc: tokens.BadToken) -> Refusal:
    if isinstance(exc, tokens.ExpiredToken):
        why = ("The link has expired: unsubscribe links work for a year after the message was "
               "sent. Nothing was changed.")
    else:
        why = ("The link is damaged or was not made by us (perhaps it was cut when copied). "
               "Nothing was changed.")
    return Refusal(400, "This unsubscribe link is not valid", why, "bad_link")


def _unsubscribe(environ: dict) -> tuple[str, str]:
    """Unsubscribe as the token and the form say; return the page's heading and text."""
    fields = [value for name, value in _form(environ) if name == ONE_CLICK[0]]
    # The last value wins, as with Django's ``request.POST.get``.
    one_click = fields[-1:] == [ONE_CLICK[1]]
    try:
        outcome = links.unsubscribe_by_token(
            _token(environ), method=Method.ONE_CLICK if one_click else Method.LINK)
    except tokens.BadToken as exc:
        raise _bad_token(exc) from None
    except NotLeavable:
        raise Refusal(400, "This list cannot be left", lists.NOT_LEAVABLE_WHY) from None
    title = outcome.list.title
    if outcome.changed:
        return "You are unsubscribed", (
            f"You will no longer receive {title} from hostpact, starting now: messages already "
            "on their way to you are stopped too.")
    return "You are unsubscribed", f"You were already unsubscribed from {title}; nothing changed."


_AFTER = {
    "done": "Account notices (security, bills, policy changes) still reach you. To join a list "
            "again or change the others, {link}.",
    "bad_link": "Use the link in a more recent message from us, or {link} to change your "
                "subscriptions. You can also write to support.",
    "other": "You can also {link} to change your subscriptions.",
}


def _page(heading: str, text: str, after: str) -> bytes:
    css, preferences = (html.escape(link) for link in _links())
    after = _AFTER[after].format(link=f'<a href="{preferences}">log in to your control panel</a>')
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(heading)} · hostpact</title>\n"
        f'<link rel="stylesheet" href="{css}">\n</head>\n<body>\n<main id="main">\n'
        f"<h1>{html.escape(heading)}</h1>\n<p>{html.escape(text)}</p>\n"
        f'<p class="muted">{after}</p>\n</main>\n</body>\n</html>\n').encode()


def _headers(environ: dict, body: bytes) -> list[tuple[str, str]]:
    headers = [("Content-Type", "text/html; charset=utf-8"),
               ("Content-Length", str(len(body))), ("Cache-Control", "no-store"),
               ("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"),
               ("X-Frame-Options", "DENY"), ("Cross-Origin-Opener-Policy", "same-origin")]
    if settings.SECURE_REFERRER_POLICY:
        headers.append(("Referrer-Policy", settings.SECURE_REFERRER_POLICY))
    if settings.SECURE_HSTS_SECONDS and _secure(environ):
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            hsts += "; preload"
        headers.append(("Strict-Transport-Security", hsts))
    return headers


def application(environ, start_response):
    """Answer a POST of the unsubscribe route; pass every other request on to Django."""
    if _passes_on(environ):
        return _django()(environ, start_response)
    # As Django's handler does around a request: drop a connection that is broken or too old.
    signals.request_started.send(sender=WSGIHandler, environ=environ)
    try:
        status, body = 200, _page(*_unsubscribe(environ), "done")
    except Refusal as refusal:
        status, body = refusal.status, _page(refusal.heading, refusal.text, refusal.after)
    except Exception:  # a fault answers a page, never a traceback; the token is not logged
        log.exception("one-click unsubscribe failed")
        status, body = 500, _page(
            "Something went wrong", "We could not answer just now. Please try again in a few "
            "minutes: pressing again is harmless.", "other")
    finally:
        signals.request_finished.send(sender=WSGIHandler)
    start_response(f"{status} {_REASONS[status]}", _headers(environ, body))
    return [body]
