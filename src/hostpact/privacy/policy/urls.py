"""URLs of the policy app."""

urlpatterns = []
