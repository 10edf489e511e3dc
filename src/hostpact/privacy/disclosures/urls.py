"""URLs of the disclosures app."""

from django.urls import path

from hostpact.privacy.disclosures import views

app_name = "disclosures"
urlpatterns = [
    path("panel/disclosures/", views.my_disclosures, name="mine"),
    path("backoffice/comarketing/", views.comarketing_export, name="comarketing"),
]
