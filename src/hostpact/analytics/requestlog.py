"""The request log's writer: what one request leaves in ``RequestLog``, cleaned and buffered.

``note()`` runs on every request, so it only cleans its values and appends a row to a
``core.batchlog.BatchLog``; a thread writes the rows in batches. The path is recorded by its
template (``domains/<int:pk>/``) or view name, never as requested: a raw path may hold ids,
tokens or whatever a client typed.
"""

import ipaddress

from hostpact.analytics.models import IP_LENGTH, ROUTE_LENGTH, USER_AGENT_LENGTH
from hostpact.core import clock
from hostpact.core.batchlog import BatchLog
from hostpact.core.http import client_ip

NO_ROUTE = "(no route)"
_CONTROL = {c: " " for c in (*range(0x20), 0x7F)}

writer = BatchLog("analytics-requests", "analytics.RequestLog",
                  ("at", "route", "method", "status", "duration_ms", "client_ip", "user_agent"))


def route_of(request) -> str:
    """Return the request's path template, or its view's name; ``NO_ROUTE`` when nothing
    matched (a 404, or a response made before URL resolution)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return NO_ROUTE
    route = match.route if match.route is not None else match.view_name
    if route is None:
        return NO_ROUTE
    return ("/" + route.lstrip("^/"))[:ROUTE_LENGTH].translate(_CONTROL)


def address_of(request) -> str:
    """Return the client's address, normalised; "" when what arrived is no address (a
    malformed X-Forwarded-For)."""
    text = client_ip(request).strip()
    try:
        return str(ipaddress.ip_address(text))[:IP_LENGTH]
    except ValueError:
        return ""


def user_agent_of(request) -> str:
    """Return the request's user agent, truncated, control characters made spaces."""
    return request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH].translate(_CONTROL)


def note(request, status: int, duration_ms: float) -> None:
    """Buffer the log row of one answered request."""
    method = (request.method or "").upper()[:8]
    writer.append((clock.now(), route_of(request), method, int(status), round(duration_ms, 3),
                   address_of(request), user_agent_of(request)))
