from django.urls import path

from hostpact.community import views

app_name = "community"
urlpatterns = [
    path("community/", views.index, name="index"),
    path("community/c/<slug:slug>/", views.category, name="category"),
    path("community/c/<slug:slug>/new/", views.new_thread, name="new_thread"),
    path("community/thread/<int:pk>/", views.thread, name="thread"),
    path("community/post/<int:pk>/", views.post_link, name="post"),
    path("community/removal/", views.removal, name="removal"),
    path("community/removal/mine/", views.my_removals, name="my_removals"),
    path("community/removal/<int:pk>/", views.my_removal, name="my_removal"),
    path("community/testimonials/mine/", views.my_testimonials, name="my_testimonials"),
    path("testimonials/", views.testimonials, name="testimonials"),
]
