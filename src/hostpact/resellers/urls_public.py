"""URLs of the resellers app's public pages (included by ``resellers/urls.py``)."""

from django.urls import path

from hostpact.resellers.views import public

urlpatterns = [
    path("reseller-logo/<slug:slug>", public.logo, name="logo"),
]
