"""The tracking URLs of campaign mail (``/m/o/<token>.gif``, ``/m/c/<token>``)."""

from django.urls import path

from hostpact.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("m/o/<str:token>.gif", views.open_pixel, name="open"),
    path("m/c/<str:token>", views.click, name="click"),
]
