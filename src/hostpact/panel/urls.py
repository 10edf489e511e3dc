"""URLs of the panel: sign-up, the dashboard and "My information"."""

from django.urls import path

from hostpact.panel import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("panel/", views.panel, name="panel"),
    path("panel/information/", views.information, name="panel-information"),
]
