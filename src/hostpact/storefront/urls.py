"""URLs of the storefront: the public home page, domain search, the cart and checkout."""

from django.urls import path

from hostpact.storefront.views import cart, checkout, home

app_name = "storefront"
urlpatterns = [
    path("", home.home, name="home"),
    path("domains/", home.domains, name="domains"),
    path("cart/", cart.show, name="cart"),
    path("cart/add/", cart.add, name="cart_add"),
    path("cart/remove/", cart.remove, name="cart_remove"),
    path("cart/years/", cart.years, name="cart_years"),
    path("cart/attach/", cart.attach, name="cart_attach"),
    path("checkout/", checkout.checkout, name="checkout"),
    path("checkout/done/<int:checkout_id>/", checkout.done, name="checkout_done"),
]
