"""URLs of the data-subject requests app."""

app_name = "requests"
urlpatterns = []
