"""The WHOIS pages for people (RDAP is served on a lean path: ``rdap/lean.py``)."""

from django.urls import path

from hostpact.rds import views

app_name = "rds"
urlpatterns = [
    path("whois/", views.whois_page, name="whois"),
    path("whois/contact/<str:name>/<str:role>/", views.contact_page, name="contact"),
]
