"""URLs of the domain privacy complaints: the third party's form and the customer's answer."""

from django.urls import path

from hostpact.domains.complaints import views

app_name = "domain_complaints"
urlpatterns = [
    path("domains/complaints/new/", views.new_page, name="new"),
    path("panel/complaints/", views.mine_page, name="mine"),
    path("panel/complaints/<int:pk>/", views.answer_page, name="answer"),
]
