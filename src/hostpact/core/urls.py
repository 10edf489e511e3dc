"""URLs of the core app."""

from django.urls import path

from hostpact.core import devmail
from hostpact.core.views import bare, bare_logged_in

app_name = "core"
urlpatterns = [
    path("bench/bare", bare, name="bench-bare"),
    path("bench/logged-in", bare_logged_in, name="bench-logged-in"),
    path("dev/mail/", devmail.mail_list, name="devmail"),
    path("dev/mail/<str:message_id>/", devmail.mail_detail, name="devmail-detail"),
]
