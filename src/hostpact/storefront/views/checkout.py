"""Checkout: sign up (or log in) on the way, choose the domains' contacts and name servers,
review and pay with the card on file; then the result page of the checkout.

A visitor signs up with the sign-up form and service of the panel, under the same rule: the
date of birth is checked first, and a child's data goes nowhere (C34).
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from hostpact.billing.models import Service
from hostpact.billing.services import default_card, invoice_orders
from hostpact.domains.models import Contact
from hostpact.domains.queries import shown
from hostpact.domains.services.contacts import ROLES
from hostpact.panel.forms import SignupForm
from hostpact.panel.signup_flow import sign_up
from hostpact.referrals.services import attribute_order
from hostpact.storefront.models import CartItem, Checkout, Fulfilment
from hostpact.storefront.pricing import price_items
from hostpact.storefront.services.cart import SESSION_KEY
from hostpact.storefront.services.checkout import (
    MINE,
    WITH_CONTACTS,
    CheckoutError,
    checkout_cart,
)
from hostpact.storefront.views.cart import current_cart

ROLE_LABELS = {"registrant": "Registrant", "admin": "Administrative contact",
               "tech": "Technical contact", "billing": "Billing contact"}


def _login_url() -> str:
    return f"{reverse('accounts:login')}?{urlencode({'next': reverse('storefront:checkout')})}"


def _signup(request, cart):
    """Sign the visitor up with the panel's form and service; log them in."""
    return sign_up(request, lambda form, status: _visitor_page(request, cart, form, status),
                   then="storefront:checkout",
                   taken_hint="Log in to check out, or reset your password if you forgot it.")


def _visitor_page(request, cart, form, status=200):
    return render(request, "storefront/checkout_visitor.html", {
        "form": form, "priced": price_items(list(cart.items.all())),
        "login_url": _login_url()}, status=status)


def _review_page(request, cart, chosen=None, nameservers=None, status=200):
    user = request.user
    items = list(cart.items.select_related("price__product"))
    handles = list(Contact.objects.filter(user=user).values_list("handle", flat=True))
    chosen = chosen or {}
    roles = [(role, ROLE_LABELS[role], chosen.get(role, MINE)) for role in ROLES]
    return render(request, "storefront/checkout.html", {
        "priced": price_items(items), "card": default_card(user), "roles": roles,
        "handles": handles, "mine": MINE,
        "needs_contacts": any(i.kind in WITH_CONTACTS for i in items),
        "needs_nameservers": any(i.kind == CartItem.Kind.REGISTER for i in items),
        "transfers": [(i.pk, shown(i.domain)) for i in items
                      if i.kind == CartItem.Kind.TRANSFER],
        "nameservers": "\n".join(nameservers or settings.DOMAIN_DEFAULT_NAMESERVERS),
    }, status=status)


def _pay(request, cart):
    chosen = {role: request.POST.get(f"contact_{role}", MINE) for role in ROLES}
    nameservers = [h.strip() for h in request.POST.get("nameservers", "").split()
                   if h.strip()]
    auth_codes = {i.domain: request.POST.get(f"auth_code_{i.pk}", "")
                  for i in cart.items.filter(kind=CartItem.Kind.TRANSFER)}
    attribute_order(request.user, request)  # before paying: the payment earns the referrer
    try:
        done = checkout_cart(cart, request.user, contacts=chosen, nameservers=nameservers,
                             auth_codes=auth_codes)
    except CheckoutError as exc:
        messages.error(request, str(exc))
        if exc.code == "taken":
            return redirect("storefront:cart")
        return _review_page(request, cart, chosen, nameservers, status=400)
    return redirect("storefront:checkout_done", checkout_id=done.pk)


@require_http_methods(["GET", "POST"])
def checkout(request):
    token = request.session.get(SESSION_KEY)
    if token and request.user.is_authenticated:
        paid = Checkout.objects.filter(cart__token=token, user=request.user).first()
        if paid is not None:  # a second submit, or a reload: the first one's result
            return redirect("storefront:checkout_done", checkout_id=paid.pk)
    cart = current_cart(request)
    if cart is None or not cart.items.exists():
        messages.info(request, "Your cart is empty.")
        return redirect("storefront:cart")
    if not request.user.is_authenticated:
        if request.method == "POST":
            return _signup(request, cart)
        return _visitor_page(request, cart, SignupForm())
    if request.method == "POST":
        return _pay(request, cart)
    return _review_page(request, cart)


@require_GET
def done(request, checkout_id: int):
    if not request.user.is_authenticated:
        raise Http404
    found = Checkout.objects.filter(pk=checkout_id, user=request.user).first()
    if found is None:
        raise Http404
    fulfilments = list(Fulfilment.objects.filter(checkout=found))
    services = list(Service.objects.filter(order__in=invoice_orders(found.invoice))
                    .select_related("product"))
    return render(request, "storefront/done.html", {
        "checkout": found, "fulfilments": fulfilments, "services": services,
        "pending": any(f.state == Fulfilment.State.PENDING for f in fulfilments)})
