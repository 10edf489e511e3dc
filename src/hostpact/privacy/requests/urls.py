"""URLs of the requests app."""

urlpatterns = []
