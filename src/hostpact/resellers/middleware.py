"""Serve a request on a reseller's host name in that reseller's realm and under its brand.

A host that matches no reseller is the platform's own: our storefront, our accounts. The look-up
is an in-process map refreshed every few seconds (``hosts.lookup``), so a reseller's page costs
no more queries than ours.

On a reseller's host the platform's own programmes (banner rewards and referrals, the community
forums and testimonials, surveys, "About you") do not exist: their pages answer 404. A reseller
that may not sell (not approved, or its agreement lapsed) takes no orders: sign-up, adding to
the cart, checkout and the order API answer 403 with the reason; its customers still log in,
see their services and use their rights.
"""

from django.http import Http404

from hostpact.core import realms
from hostpact.core.problems import Problem, problem_response
from hostpact.resellers import hosts, keyauth

# URL namespaces of the platform's own programmes, closed on a reseller's host.
CLOSED_NAMESPACES = frozenset({"referrals", "community", "surveys", "audiences"})
# What sells: pages (namespace:name) and API calls (method, path).
SELLING_PAGES = frozenset({"panel:signup", "storefront:cart_add", "storefront:checkout"})
SELLING_API = frozenset({("POST", "/api/v1/signup"), ("POST", "/api/v1/orders"),
                         ("POST", "/api/v1/domains")})
NOT_SELLING = "This shop is not taking orders at the moment."


class ResellerHostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        site = hosts.lookup(request.get_host())
        request.reseller_site = site
        if site is None:
            response = self.get_response(request)
        else:
            request.brand = site.brand
            token = realms.activate(site.realm_id)
            try:
                response = self.get_response(request)
            finally:
                realms.deactivate(token)
        keyauth.log_call(request, response)  # a reseller API call: its key's log
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        site = request.reseller_site
        if site is None:
            return None
        match = request.resolver_match
        if match.namespaces and match.namespaces[0] in CLOSED_NAMESPACES:
            raise Http404("This page does not exist on this site.")
        if site.selling:
            return None
        if (request.method, request.path_info) in SELLING_API:
            return problem_response(Problem(403, "Not taking orders",
                                            f"{NOT_SELLING} {site.refusal}", code="not_selling"))
        if match.view_name in SELLING_PAGES:
            from hostpact.resellers.views.public import not_selling

            return not_selling(request, site)
        return None
