from django.urls import path

from hostpact.marketing import views

app_name = "marketing"
urlpatterns = [
    path("u/<str:token>", views.unsubscribe, name="unsubscribe"),
    path("panel/subscriptions/", views.preferences, name="preferences"),
]
