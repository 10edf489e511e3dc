"""URLs of the surveys app: the answer link, the subscriber's page and the back office."""

from django.urls import path

from hostpact.surveys import staff_views, views

app_name = "surveys"
urlpatterns = [
    path("surveys/r/<str:token>", views.answer, name="answer"),
    path("panel/surveys/", views.mine, name="mine"),
    path("panel/surveys/<int:pk>/", views.answer_mine, name="answer_mine"),
    path("backoffice/surveys/", staff_views.index, name="staff"),
    path("backoffice/surveys/<int:pk>/", staff_views.detail, name="staff_detail"),
    path("backoffice/surveys/<int:pk>/results/", staff_views.results_page,
         name="staff_results"),
    path("backoffice/surveys/<int:pk>/review/", staff_views.review, name="staff_review"),
    path("backoffice/surveys/<int:pk>/share/", staff_views.share, name="staff_share"),
]
