"""URLs of the data-subject requests app."""

urlpatterns = []
