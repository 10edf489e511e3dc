"""URLs of the export pages in the control panel."""

from django.urls import path

from hostpact.privacy.rights.export import views

urlpatterns = [
    path("panel/export/", views.export_page, name="rights-export"),
    path("panel/export/link/", views.export_link, name="rights-export-link"),
    path("panel/export/download/<str:token>/", views.export_download,
         name="rights-export-download"),
]
