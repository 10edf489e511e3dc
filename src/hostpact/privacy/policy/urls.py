"""URLs of the policy app: the public policy pages, the opt-out link, the panel switch."""

from django.urls import path

from hostpact.privacy.policy import views

app_name = "policy"
urlpatterns = [
    path("policy/", views.policy, name="current"),
    path("policy/cookies/", views.cookies_page, name="cookies"),
    path("policy/<int:number>/", views.version, name="version"),
    path("policy/opt-out/<str:token>/", views.opt_out, name="opt-out"),
    path("panel/privacy/", views.panel_privacy, name="choices"),
]
