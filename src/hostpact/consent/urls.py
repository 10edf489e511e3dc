"""URLs of the consent app: the choice and settings page, the receipt, the GPC statement."""

from django.urls import path

from hostpact.consent import views

app_name = "consent"
urlpatterns = [
    path("consent/", views.choose, name="choose"),
    path("consent/receipt/", views.receipt, name="receipt"),
    path(".well-known/gpc.json", views.gpc_json, name="gpc"),
]
