"""URLs of the rights app."""

from django.urls import path

from hostpact.privacy.rights import views
from hostpact.privacy.rights.export_views import export_urlpatterns

urlpatterns = [
    path("panel/erase/", views.panel_erase, name="rights-erase"),
    path("erasure/<str:token>/", views.erasure_status, name="rights-erasure-status"),
]
urlpatterns += export_urlpatterns
