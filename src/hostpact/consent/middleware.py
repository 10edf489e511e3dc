"""Enforcement of the visitor's cookie choice on every response (policy 2.3, C05, C06).

Before the view: ``request.consent`` (``state.Consent``) from ``hp_consent`` and ``Sec-GPC``,
a CSP nonce and ``request.csp_sources``. After it: every cookie set must be declared in
``hostpact.privacy.cookies`` (undeclared: ``ImproperlyConfigured`` under
``CONSENT_STRICT_COOKIES``, else dropped and logged); a non-required cookie whose category is
not granted is dropped; an HTML response gets a Content-Security-Policy allowing only what is
granted. A first HTML page view under GPC with no GPC refusal recorded records one.

It sits outside the session and CSRF middleware, so it sees the cookies they set.
"""

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from hostpact.consent import csp, services, state, versions
from hostpact.privacy import cookies

log = logging.getLogger(__name__)
_DELETED = "Thu, 01 Jan 1970 00:00:00 GMT"


def _is_deletion(morsel) -> bool:
    return str(morsel["max-age"]) == "0" or morsel["expires"] == _DELETED


def set_consent_cookie(response, stored: state.Stored) -> None:
    """Set ``hp_consent`` to ``stored`` on ``response``."""
    response.set_cookie(state.COOKIE, state.encode(stored), max_age=365 * 86400,
                        httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)


class ConsentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        gpc = request.META.get("HTTP_SEC_GPC", "").strip() == "1"
        request.consent = state.read(
            request.COOKIES.get(state.COOKIE), gpc=gpc,
            policy_version=versions.policy_version(),
            banner_revision=versions.banner_revision())
        request.csp_nonce = csp.new_nonce()
        request.csp_sources = {}
        response = self.get_response(request)
        consent = request.consent  # the consent view replaces it with the new choice
        if response.get("Content-Type", "").startswith("text/html"):
            if (consent.gpc and not consent.gpc_recorded and request.method == "GET"
                    and response.status_code == 200):
                consent = self._record_gpc(request, response, consent)
            if "Content-Security-Policy" not in response:
                response["Content-Security-Policy"] = csp.header(
                    request.csp_nonce, request.csp_sources, consent)
        if response.cookies:
            self._enforce(request, response, consent)
        return response

    def _record_gpc(self, request, response, consent):
        """Record the refusal GPC expresses and remember it in ``hp_consent``."""
        consent_id = consent.consent_id or state.new_consent_id()
        granted = consent.granted - {cookies.ADVERTISING}
        try:
            services.record_choice(consent_id, granted, method="gpc",
                                   user=getattr(request, "user", None),
                                   refused=[cookies.ADVERTISING], gpc=True)
        except DatabaseError:
            # The page still goes out, advertising refused; the next page view records it.
            log.exception("GPC refusal not recorded")
            return consent
        flags = state.GPC_RECORDED | (state.CHOSEN if consent.chosen else 0)
        set_consent_cookie(response, state.Stored(
            granted, versions.policy_version(), versions.banner_revision(), consent_id,
            state.now_seconds(), flags))
        return state.Consent(granted=granted, chosen=consent.chosen, gpc=True,
                             consent_id=consent_id, gpc_recorded=True)

    def _enforce(self, request, response, consent) -> None:
        for name in list(response.cookies):
            morsel = response.cookies[name]
            if _is_deletion(morsel):
                continue
            declared = cookies.cookie(name)
            if declared is None:
                if settings.CONSENT_STRICT_COOKIES:
                    raise ImproperlyConfigured(
                        f"cookie {name!r} is not declared: declare it with "
                        "hostpact.privacy.cookies.declare_cookie in its app's datamap.py")
                # The route, not the path: a path may carry a token (logs hold ids only).
                route = getattr(getattr(request, "resolver_match", None), "route", None)
                log.error("dropped undeclared cookie %r on %s", name, route or "(no route)")
                del response.cookies[name]
            elif not declared.required and not consent.allows(declared.category):
                log.debug("dropped %s cookie %r: not granted", declared.category, name)
                del response.cookies[name]
