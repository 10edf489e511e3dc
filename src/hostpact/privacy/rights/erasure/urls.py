"""URLs of erasure: the panel's confirmation page and the public outcome page."""

from django.urls import path

from hostpact.privacy.rights.erasure import views

urlpatterns = [
    path("panel/erase/", views.panel_erase, name="rights-erase"),
    path("erasure/<str:token>/", views.erasure_status, name="rights-erasure-status"),
]
