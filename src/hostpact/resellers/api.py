"""The reseller API at ``/api/v1/reseller/…``: a reseller's systems, with one of its keys
(``keyauth``), manage its customers, their orders, domains and requests, and see their keys'
log. Another reseller's object, or one of the platform's own customers, is 404."""

from ninja import Router

from hostpact.resellers.api_business import router as business
from hostpact.resellers.api_customers import router as customers
from hostpact.resellers.api_requests import router as requests
from hostpact.resellers.views.forward import api_router as controller_requests

router = Router(tags=["resellers"])
for part in (customers, requests, business):
    router.add_router("/reseller", part)
router.add_router("/", controller_requests)  # POST /me/controller-requests (C38)
