"""URLs of the panel: sign-up, the dashboard, "My information" and the mail we sent."""

from django.urls import path

from hostpact.panel import views

app_name = "panel"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("panel/", views.panel, name="dashboard"),
    path("panel/information/", views.information, name="information"),
    path("panel/mail/", views.mail, name="mail"),
]
