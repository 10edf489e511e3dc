"""Data-map declarations and cookies of diagnostics and visit statistics (policy 2.3.1, 3.2).

The request log keeps the client's address and user agent 90 days to diagnose the servers,
the address truncated to its /24 (IPv4) or /48 (IPv6) network after 7 days (C18). The
repeat-visit id is random and lives in its own table, linked to nothing (C07); the cookieless
day's hashes go with their salt, after 2 days; the day's counts and the demographic snapshot
are aggregates.
"""

from hostpact.analytics.models import (
    DemographicCount,
    RequestLog,
    VisitDay,
    VisitHash,
    Visitor,
    VisitSalt,
)
from hostpact.privacy.coarsening import ip_prefix
from hostpact.privacy.cookies import PERFORMANCE, declare_cookie
from hostpact.privacy.registry import Erasure, declare, not_personal, personal

VISITOR_COOKIE = "hp_visitor"
VISITOR_COOKIE_AGE = 365 * 86400

_diagnostics = dict(subject="visitor", retention="diagnostics", erasure=Erasure.DELETE,
                    purposes=("essential.service.operations", "analytics.reporting.system"))

declare(
    RequestLog,
    id=not_personal(), at=not_personal(),
    route=not_personal("the path template or view name, never the raw path"),
    method=not_personal(), status=not_personal(), duration_ms=not_personal(),
    client_ip=personal("user.device.ip_address", coarsen=ip_prefix(days=7),
                       label="Address of a request's client", **_diagnostics),
    user_agent=personal("user.device", label="User agent of a request's client",
                        **_diagnostics),
)
declare(
    Visitor,
    id=not_personal(),
    visitor_id=personal("user.device.cookie_id", subject="visitor", retention="visitor_id",
                        erasure=Erasure.DELETE, purposes=("analytics.reporting",),
                        label="Random repeat-visit id (hp_visitor cookie)"),
    first_day=not_personal("a day, kept with the random id only"),
    last_day=not_personal("a day, kept with the random id only"),
    days=not_personal("a count"), views=not_personal("a count"), updated_at=not_personal(),
)
declare(
    VisitSalt,
    id=not_personal(), day=not_personal(), created_at=not_personal(),
    salt=not_personal("random, destroyed after 48 hours"),
)
declare(
    VisitHash,
    id=not_personal(), day=not_personal(), views=not_personal("a count"), at=not_personal(),
    digest=personal("user.unique_id.pseudonymous", subject="visitor", retention="visit_hash",
                    erasure=Erasure.DELETE, purposes=("analytics.reporting",),
                    label="Hash of the day's salt, IP address and user agent"),
)
declare(
    VisitDay,
    id=not_personal(), day=not_personal(), views=not_personal("a count"),
    visitors=not_personal("a count"), returning=not_personal("a count"),
    anonymous=not_personal("a count"),
)
declare(
    DemographicCount,
    id=not_personal(), taken_at=not_personal(), dimension=not_personal(),
    label=not_personal("a country or an age band"),
    count=not_personal("an aggregate, shown suppressed under 10"),
)

declare_cookie(VISITOR_COOKIE, category=PERFORMANCE,
               purpose="Counts repeat visits with a random id, never linked to an account, "
                       "a name, an email address or a password.",
               max_age=VISITOR_COOKIE_AGE)
