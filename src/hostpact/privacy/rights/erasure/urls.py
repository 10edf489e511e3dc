"""URLs of erasure: the panel's confirmation page and the public outcome page (included by
``rights/urls.py``, so their names are ``rights:erase`` and ``rights:erasure-status``)."""

from django.urls import path

from hostpact.privacy.rights.erasure import views

urlpatterns = [
    path("panel/erase/", views.panel_erase, name="erase"),
    path("erasure/<str:token>/", views.erasure_status, name="erasure-status"),
]
