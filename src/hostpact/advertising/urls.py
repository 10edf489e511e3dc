"""Our own URLs of an ad: its image (``/ads/i/<id>.<ext>``) and its click redirect
(``/ads/c/<token>``)."""

from django.urls import path

from hostpact.advertising import views

app_name = "advertising"
urlpatterns = [
    path("ads/i/<int:creative_id>.<str:ext>", views.image, name="image"),
    path("ads/c/<str:token>", views.click, name="click"),
]
