"""URLs of a business's application to become a reseller (included by ``resellers/urls.py``)."""

from django.urls import path

from hostpact.resellers.views import application

urlpatterns = [
    path("resellers/apply/", application.apply, name="apply"),
]
