"""URLs of the rights app."""

urlpatterns = []
