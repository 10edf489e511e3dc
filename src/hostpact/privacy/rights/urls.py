"""URLs of the rights app: its erasure and export pages."""

from django.urls import include, path

urlpatterns = [
    path("", include("hostpact.privacy.rights.erasure.urls")),
    path("", include("hostpact.privacy.rights.export.urls")),
]
