"""URLs of the audiences app: the subscriber's optional form and the staff dashboard."""

from django.urls import path

from hostpact.audiences import views

app_name = "audiences"
urlpatterns = [
    path("panel/about-you/", views.about_you, name="form"),
    path("panel/about-you/clear/", views.clear, name="clear"),
    path("backoffice/audiences/", views.dashboard, name="dashboard"),
    path("backoffice/audiences/rebuild/", views.rebuild, name="rebuild"),
    path("backoffice/audiences/export.csv", views.export, name="export"),
]
