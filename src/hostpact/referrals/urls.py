"""URLs of the referrals app: the referral link, banner images, the programme's pages."""

from django.urls import path

from hostpact.referrals import views

app_name = "referrals"
urlpatterns = [
    path("r/<str:code>", views.click, name="click"),
    path("referrals/banners/<slug:slug>.svg", views.banner_image, name="banner"),
    path("panel/referrals/", views.mine, name="mine"),
    path("panel/affiliate/", views.affiliate, name="affiliate"),
]
