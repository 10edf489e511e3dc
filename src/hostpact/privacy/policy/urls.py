"""URLs of the policy app: the public policy pages, the opt-out link, the panel switch."""

from django.urls import path

from hostpact.privacy.policy import views

urlpatterns = [
    path("policy/", views.policy, name="policy"),
    path("policy/<int:number>/", views.version, name="policy-version"),
    path("policy/opt-out/<str:token>/", views.opt_out, name="policy-opt-out"),
    path("panel/privacy/", views.panel_privacy, name="panel-privacy"),
]
