"""The request log and visit counting, as middleware (settings.MIDDLEWARE places them).

``RequestLogMiddleware`` is the outermost: it times every layer and sees the final status.
``VisitMiddleware`` is the innermost: it sees the view's page before the consent middleware
checks its cookies, and sets ``hp_visitor`` only when the visitor granted performance cookies.
Both hand their rows to a buffered writer and never fail the request: a failure to log is
logged and the response goes out as it is.
"""

import logging
import time

from django.conf import settings

from hostpact.analytics import requestlog, visits
from hostpact.analytics.datamap import VISITOR_COOKIE, VISITOR_COOKIE_AGE
from hostpact.consent import state
from hostpact.core import clock
from hostpact.privacy.cookies import PERFORMANCE

log = logging.getLogger(__name__)
SKIPPED_URL_NAMES = {"healthz"}  # probes every few seconds would drown the real traffic


def _static(path: str) -> bool:
    prefix = settings.STATIC_URL or ""
    return bool(prefix) and path.startswith("/" + prefix.lstrip("/"))


class RequestLogMiddleware:
    """Log every answered request (path template, method, status, duration, address, user
    agent), except static files and the health check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.ANALYTICS_REQUEST_LOG or _static(request.path_info):
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        try:
            match = getattr(request, "resolver_match", None)
            if match is None or match.url_name not in SKIPPED_URL_NAMES:
                requestlog.note(request, response.status_code,
                                (time.perf_counter() - started) * 1000)
        except Exception:  # a failing log write never fails the request (C18)
            log.exception("request log: the request could not be noted")
        return response


def _page_view(request, response) -> bool:
    if request.method != "GET" or response.status_code != 200:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    match = getattr(request, "resolver_match", None)
    return match is None or "admin" not in match.namespaces  # staff work is no visit


class VisitMiddleware:
    """Count page views of visitors: by the random ``hp_visitor`` id with performance
    consent, else by the day's cookieless hash."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        try:
            if _page_view(request, response):
                self.count(request, response)
        except Exception:  # counting never fails the page
            log.exception("visit counting failed")
        return response

    def count(self, request, response) -> None:
        """Count this page view, and set or refresh the visitor's cookie when allowed."""
        day = clock.today()
        if state.of(request).allows(PERFORMANCE):
            visitor_id = request.COOKIES.get(VISITOR_COOKIE)
            if not visits.valid_id(visitor_id):
                visitor_id = visits.new_visitor_id()
            # Set on each view, so it expires a year after the last visit, as its row does.
            response.set_cookie(VISITOR_COOKIE, visitor_id, max_age=VISITOR_COOKIE_AGE,
                                secure=settings.SESSION_COOKIE_SECURE, httponly=True,
                                samesite="Lax")
            visits.count_visitor(visitor_id, day)
        else:
            visits.count_anonymous(requestlog.address_of(request),
                                   requestlog.user_agent_of(request), day)
