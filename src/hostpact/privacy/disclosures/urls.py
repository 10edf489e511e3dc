"""URLs of the disclosures app."""

urlpatterns = []
