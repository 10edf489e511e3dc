"""URLs of the rights app: its erasure and export pages, both under the ``rights`` namespace."""

from django.urls import include, path

app_name = "rights"
urlpatterns = [
    path("", include("hostpact.privacy.rights.erasure.urls")),
    path("", include("hostpact.privacy.rights.export.urls")),
]
