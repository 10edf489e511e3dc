"""URLs of the domains app: the panel's domains and contacts, and the verification link."""

from django.urls import path  # noqa: F401 - patterns are added by each page's feature

app_name = "domains"
urlpatterns: list = [
]
