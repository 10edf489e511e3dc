"""URLs of the resellers app, under the ``resellers`` namespace: the white-label pages a
reseller's host serves, the reseller panel, the back office, and customers' choices."""

from django.urls import include, path

app_name = "resellers"
urlpatterns = [
    path("", include("hostpact.resellers.urls_public")),
    path("", include("hostpact.resellers.urls_panel")),
    path("", include("hostpact.resellers.urls_backoffice")),
    path("", include("hostpact.resellers.urls_choice")),
    path("", include("hostpact.resellers.urls_application")),
]
