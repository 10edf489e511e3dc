"""URLs of the export pages in the control panel (included by ``rights/urls.py``, so their
names are ``rights:export``, ``rights:export-link`` and ``rights:export-download``)."""

from django.urls import path

from hostpact.privacy.rights.export import views

urlpatterns = [
    path("panel/export/", views.export_page, name="export"),
    path("panel/export/link/", views.export_link, name="export-link"),
    path("panel/export/download/<str:token>/", views.export_download,
         name="export-download"),
]
