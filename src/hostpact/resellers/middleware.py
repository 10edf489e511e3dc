"""Serve a request on a reseller's host name in that reseller's realm and under its brand.

A host that matches no reseller is the platform's own: our storefront, our accounts. The look-up
is an in-process map refreshed every few seconds (``hosts.lookup``), so a reseller's page costs
no more queries than ours.
"""

from hostpact.core import realms
from hostpact.resellers import hosts


class ResellerHostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        site = hosts.lookup(request.get_host())
        request.reseller_site = site
        if site is None:
            return self.get_response(request)
        request.brand = site.brand
        token = realms.activate(site.realm_id)
        try:
            return self.get_response(request)
        finally:
            realms.deactivate(token)
