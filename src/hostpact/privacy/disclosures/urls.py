"""URLs of the disclosures app."""

from django.urls import path

from hostpact.privacy.disclosures import views

urlpatterns = [
    path("panel/disclosures/", views.my_disclosures, name="panel-disclosures"),
    path("backoffice/comarketing/", views.comarketing_export, name="backoffice-comarketing"),
]
