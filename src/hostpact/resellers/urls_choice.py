"""URLs of the resellers app's choice pages (included by ``resellers/urls.py``): forwarding a
rights request to the reseller's controller (C38), by the customer or by support, and the
reseller's form where its customer stops its contact (C40)."""

from django.urls import path

from hostpact.resellers import support_actions
from hostpact.resellers.views import choice, forward

urlpatterns = [
    path("panel/request-to-controller/", forward.forward, name="forward"),
    path("stop-contact/", choice.stop_contact, name="stop_contact"),
    path("backoffice/resellers/forward/ticket/<int:pk>/", support_actions.forward_ticket,
         name="support_forward_ticket"),
    path("backoffice/resellers/forward/request/<int:pk>/",
         support_actions.forward_subject_request, name="support_forward_request"),
]
