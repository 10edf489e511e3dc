"""URLs of the billing app."""

urlpatterns = []
