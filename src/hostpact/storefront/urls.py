"""URLs of the storefront: the public home page, domain search, the cart and checkout."""

app_name = "storefront"
urlpatterns: list = []
