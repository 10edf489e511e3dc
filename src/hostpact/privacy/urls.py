"""URLs of the privacy app."""

urlpatterns = []
