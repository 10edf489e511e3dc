"""The cart page and the forms that change it (each a POST with its CSRF token)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from hostpact.domains.models import Domain
from hostpact.domains.queries import shown
from hostpact.storefront.models import CartItem
from hostpact.storefront.pricing import price_items
from hostpact.storefront.services import cart as carts
from hostpact.storefront.views.home import YEARS

EXPIRED = ("Your cart expired after {days} days without a change, so it was emptied. Search "
           "again to add what you want.")


def _user(request):
    return request.user if request.user.is_authenticated else None


def current_cart(request):
    """Return the session's cart, telling the visitor when it had expired."""
    cart, expired = carts.open_cart(request.session.get(carts.SESSION_KEY), _user(request))
    if expired:
        request.session.pop(carts.SESSION_KEY, None)
        messages.warning(request, EXPIRED.format(days=settings.STOREFRONT_CART_DAYS))
    return cart


@require_GET
def show(request):
    cart = current_cart(request)
    items = list(cart.items.select_related("price__product")) if cart else []
    priced = price_items(items)
    user = _user(request)
    in_cart = [i.domain for i in items if i.kind == CartItem.Kind.REGISTER]
    mine = (list(Domain.objects.filter(user=user, state=Domain.State.ACTIVE)
                 .values_list("name", flat=True)) if user else [])
    return render(request, "storefront/cart.html", {
        "cart": cart, "priced": priced, "years": YEARS,
        "attachable": [(n, shown(n)) for n in in_cart + mine],
        "mine": [(n, shown(n)) for n in mine]})


def _change(request, action):
    cart = current_cart(request)
    if cart is None:
        messages.error(request, "Your cart is empty.")
        return redirect("storefront:cart")
    try:
        action(cart)
    except carts.CartError as exc:
        messages.error(request, str(exc))
    return redirect("storefront:cart")


@require_POST
def add(request):
    post = request.POST
    try:
        cart = carts.add_item(current_cart(request), _user(request), kind=post.get("kind", ""),
                              domain=post.get("domain", ""), years=post.get("years", 1),
                              price_id=post.get("price_id"), privacy=bool(post.get("privacy")))
    except carts.CartError as exc:
        messages.error(request, str(exc))
        return redirect("storefront:cart")
    request.session[carts.SESSION_KEY] = cart.token
    messages.success(request, "Added to your cart.")
    return redirect("storefront:cart")


@require_POST
def remove(request):
    return _change(request, lambda cart: carts.remove_item(cart, _user(request),
                                                            request.POST.get("item")))


@require_POST
def years(request):
    return _change(request, lambda cart: carts.set_years(cart, _user(request),
                                                          request.POST.get("item"),
                                                          request.POST.get("years")))


@require_POST
def attach(request):
    return _change(request, lambda cart: carts.attach_plan(cart, _user(request),
                                                            request.POST.get("item"),
                                                            request.POST.get("domain", "")))
