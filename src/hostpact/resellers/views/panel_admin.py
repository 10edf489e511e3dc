"""The reseller panel's pages for running the reseller: API keys and their log, members,
brand and settings, and its prices. Keys are the owner's (``keys``), members and settings too
(``members``, ``settings``): a sales or support user gets 403."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from hostpact.accounts.models import User
from hostpact.billing.models import Price
from hostpact.core import crypto
from hostpact.resellers.forms import SETTINGS_FIELDS, KeyForm, MemberForm, PriceForm, SettingsForm
from hostpact.resellers.models import ApiKey, ApiKeyUse, Membership, ResellerPrice
from hostpact.resellers.services import brand
from hostpact.resellers.services.keys import KeyRefused, create_key, revoke_key
from hostpact.resellers.services.members import add_member
from hostpact.resellers.views.panel import PER_PAGE, actor, member_page, page


@member_page("keys")
@require_http_methods(["GET", "POST"])
def keys(request, member):
    """The reseller's API keys; a new one's secret is shown on this answer only."""
    form = KeyForm(data=request.POST if request.method == "POST" else None)
    secret, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            c = form.cleaned_data
            try:
                _, secret = create_key(member.reseller, name=c["name"], scopes=c["scopes"],
                                       ip_ranges=c["ip_ranges"], days=c["days"],
                                       actor=actor(member))
            except KeyRefused as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        if not secret:
            status = 400
        else:
            form = KeyForm()
    return page(request, member, "resellers/panel/keys.html", {
        "form": form, "secret": secret,
        "keys": ApiKey.objects.filter(reseller=member.reseller)}, status=status)


@member_page("keys")
@require_POST
def key_revoke(request, member, key_id):
    """Revoke one of the reseller's keys."""
    key = ApiKey.objects.filter(reseller=member.reseller, key_id=key_id).first()
    if key is None:
        raise Http404("No key of this reseller has this id.")
    revoke_key(key, actor=actor(member))
    messages.success(request, f"Key {key.key_id} revoked: it no longer works.")
    return redirect("resellers:panel_keys", member.reseller.slug)


@member_page("keys")
def key_log(request, member):
    """Every call made with the reseller's keys, allowed or refused, newest first."""
    current = Paginator(ApiKeyUse.objects.filter(key__reseller=member.reseller)
                        .select_related("key"), PER_PAGE).get_page(request.GET.get("page"))
    return page(request, member, "resellers/panel/key_log.html", {"page": current})


@member_page("members")
@require_http_methods(["GET", "POST"])
def members(request, member):
    """Who works in the reseller's panel; the owner adds one of our accounts by email."""
    form = MemberForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = (User.objects.in_realm(None).filter(
            email_index=crypto.blind_index("email", form.cleaned_data["email"]),
            is_active=True).first())
        if user is None:
            form.add_error("email", "No account of ours has this email: ask them to sign up "
                           "first.")
        else:
            add_member(member.reseller, user, form.cleaned_data["role"], actor=actor(member))
            messages.success(request, f"{user.customer_id} now works here as "
                             f"{form.cleaned_data['role']}.")
            return redirect("resellers:panel_members", member.reseller.slug)
    status = 400 if request.method == "POST" else 200
    return page(request, member, "resellers/panel/members.html", {
        "form": form, "members": Membership.objects.filter(reseller=member.reseller)
        .select_related("user").order_by("role", "pk")}, status=status)


@member_page("settings")
@require_http_methods(["GET", "POST"])
def settings_page(request, member):
    """The reseller's brand, contacts, privacy-policy additions and markup."""
    reseller = member.reseller
    initial = {name: getattr(reseller, name) for name in SETTINGS_FIELDS}
    if request.method == "POST":
        form = SettingsForm(data=request.POST, files=request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            brand.save_settings(reseller, data, actor=actor(member), logo=data.pop("logo"))
            messages.success(request, "Settings saved.")
            return redirect("resellers:panel_settings", reseller.slug)
    else:
        form = SettingsForm(initial=initial)
    status = 400 if request.method == "POST" else 200
    return page(request, member, "resellers/panel/settings.html", {"form": form},
                status=status)


@member_page("settings")
@require_http_methods(["GET", "POST"])
def prices(request, member):
    """The reseller's own prices for catalogue prices (others: the catalogue's plus its
    markup)."""
    catalogue = list(Price.objects.filter(active=True, product__active=True)
                     .select_related("product"))
    form = PriceForm(data=request.POST if request.method == "POST" else None,
                     prices=catalogue)
    if request.method == "POST" and form.is_valid():
        price = next(p for p in catalogue if p.pk == form.cleaned_data["price"])
        brand.set_price(member.reseller, price, form.cleaned_data["amount"],
                        actor=actor(member))
        messages.success(request, f"Your price for {price} is saved.")
        return redirect("resellers:panel_prices", member.reseller.slug)
    status = 400 if request.method == "POST" else 200
    return page(request, member, "resellers/panel/prices.html", {
        "form": form, "own": ResellerPrice.objects.filter(reseller=member.reseller,
                                                          price__isnull=False)
        .select_related("price", "price__product")}, status=status)
