"""The WHOIS pages for people: the look-up and the form that reaches a domain's contact.

The look-up answers with exactly the text port 43 sends (``whois.lookup.reply``), laid out as
a definition list, under the same per-address limit (``rds.limits``) and logged the same way
(protocol ``web``). RDAP is served on a lean path outside Django's views.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from hostpact.core import audit, ratelimit
from hostpact.core.http import client_ip
from hostpact.domains.names import NameRefused, parse_host
from hostpact.domains.queries import shown
from hostpact.rds import limits, querylog, services
from hostpact.rds.forms import ContactForm, LookupForm
from hostpact.rds.published import ROLES
from hostpact.rds.whois import lookup
from hostpact.rds.whois.render import CRLF

CONTACT_WINDOW = 3600


def _is_url(value: str) -> bool:
    return value.startswith(("https://", "http://"))


def _layout(text: str) -> dict:
    """Split an answer into its record rows (key, value, is a URL) and the notes after them
    (the last-update line and the notices, as paragraphs)."""
    lines = text.split(CRLF)
    end = next((i for i, line in enumerate(lines) if line.startswith(">>>")), len(lines))
    rows, other = [], []
    for line in lines[:end]:
        key, sep, value = line.partition(": ")
        if sep and not line.startswith("No match"):
            rows.append((key, value, _is_url(value)))
        elif line:
            other.append(line)
    notes, paragraph = [], []
    for line in [*other, "", *lines[end:], ""]:
        if line:
            paragraph.append(line.strip(">< ") if line.startswith(">>>") else line)
        elif paragraph:
            notes.append(" ".join(paragraph))
            paragraph = []
    return {"rows": rows, "notes": notes}


def _heading(rows) -> str:
    for key, value, _ in rows:
        if key in ("Domain Name", "Server Name"):
            return shown(value) if shown(value) == value else f"{shown(value)} ({value})"
        if key == "Registrar":
            return value
    return ""


@require_GET
def whois_page(request):
    """Look a domain, name server or registrar up, as ``whois`` on port 43 does."""
    form = LookupForm(request.GET if "q" in request.GET else None)
    context, status = {"form": form, "port": settings.WHOIS_PORT}, 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        ip, query = client_ip(request), form.cleaned_data["q"]
        if not limits.allowed(ip):
            querylog.log_query("web", ip, query, "limited")
            wait = limits.retry_after(ip)
            response = render(request, "rds/limited.html", {"retry_after": wait}, status=429)
            response["Retry-After"] = str(wait)
            return response
        reply = lookup.reply(query)
        querylog.log_query("web", ip, query, reply.outcome)
        if reply.outcome == "bad":
            form.add_error("q", reply.text.split(CRLF)[0].removeprefix("Query refused: "))
            status = 400
        else:
            layout = _layout(reply.text)
            context.update(layout, found=reply.outcome == "found", query=query,
                           heading=_heading(layout["rows"]))
    return render(request, "rds/whois.html", context, status=status)


def _contact_target(name: str, role: str):
    try:
        ascii_name = parse_host(name).ascii
    except NameRefused:
        raise Http404("No such domain.") from None
    domain = services.published_domain_named(ascii_name) if role in ROLES else None
    if domain is None:
        raise Http404("No such domain or contact role.")
    return domain


@require_http_methods(["GET", "POST"])
def contact_page(request, name: str, role: str):
    """Write to ``role``'s contact of the domain ``name`` without learning their address."""
    domain = _contact_target(name, role)
    form = ContactForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "domain": shown(domain.name), "name": domain.name, "role": role,
               "role_word": services.ROLE_WORDS[role]}
    status = 200
    if request.method == "POST":
        status, ip = 400, client_ip(request)
        limit = settings.RDS_CONTACT_FORM_RATE_PER_HOUR
        # Every post counts against the address, so trying many bodies costs the same; only
        # a message sent counts against the domain.
        over = (ratelimit.hit("rds-contact-ip", ip, CONTACT_WINDOW) > limit
                or ratelimit.count("rds-contact-domain", domain.name, CONTACT_WINDOW) >= limit)
        if over:
            form.is_valid()
            form.add_error(None, "Too many messages from your address or to this domain; "
                                 "try again in an hour.")
            status = 429
        elif form.is_valid():
            try:
                services.forward_message(domain.name, role, **form.cleaned_data,
                                         actor=audit.actor_of(request.user))
            except services.ForwardRefused as exc:
                form.add_error(None, str(exc))
            else:
                ratelimit.hit("rds-contact-domain", domain.name, CONTACT_WINDOW)
                return render(request, "rds/contact_sent.html", context)
    return render(request, "rds/contact.html", context, status=status)
