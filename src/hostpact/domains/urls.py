"""URLs of the domains app. Its pages (search, the panel's domains) come with the storefront;
for now the app answers through its API (``api.py``)."""

app_name = "domains"
urlpatterns: list = []
