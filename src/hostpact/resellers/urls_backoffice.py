"""URLs of the resellers app's back-office pages (included by ``resellers/urls.py``): the
removal requests of every reseller, for compliance staff."""

from django.urls import path

from hostpact.resellers.views import backoffice

urlpatterns = [
    path("backoffice/resellers/removals/", backoffice.removal_list,
         name="backoffice_removals"),
    path("backoffice/resellers/removals/<int:pk>/", backoffice.removal_detail,
         name="backoffice_removal"),
]
