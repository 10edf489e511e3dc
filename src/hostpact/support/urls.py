from django.urls import path

from hostpact.support import views

app_name = "support"
urlpatterns = [
    path("support/contact/", views.contact, name="contact"),
]
