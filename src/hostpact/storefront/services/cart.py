"""Cart changes: add, remove, change years, attach a plan to a domain.

A cart is found by the random token its session keeps and by nothing else. Every change
extends its life by ``STOREFRONT_CART_DAYS`` and voids an open invoice made from its former
content, so checkout never charges for what the cart no longer holds and no stale invoice
is left open.
"""

import secrets
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction

from hostpact.billing.catalogue import tld_prices
from hostpact.billing.models import Price
from hostpact.billing.services import void_invoice
from hostpact.core import audit, clock
from hostpact.domains.models import MAX_YEARS as MAX_REGISTRATION_YEARS
from hostpact.domains.models import SPONSORED_STATES, Domain
from hostpact.domains.names import NameRefused, parse_domain, parse_host
from hostpact.domains.queries import domain_of
from hostpact.domains.services.availability import check_availability
from hostpact.privacy.rights.guard import lock_subject_for_write
from hostpact.storefront.models import MAX_YEARS, MIN_YEARS, Cart, CartItem

SESSION_KEY = "storefront.cart"


class CartError(Exception):
    """A cart change was refused; ``field`` names what is wrong. Nothing was changed."""

    def __init__(self, message: str, field: str = "", code: str = "invalid"):
        super().__init__(message)
        self.field, self.code = field, code


def open_cart(token: str | None, user) -> tuple[Cart | None, bool]:
    """Return the cart ``token`` names and whether it had expired (an expired cart is
    deleted). Another subscriber's cart is no cart."""
    if not token:
        return None, False
    cart = Cart.objects.filter(token=token).first()
    if cart is None or hasattr(cart, "checkout"):
        return None, False
    if cart.user_id is not None and cart.user_id != getattr(user, "pk", None):
        return None, False
    if cart.expires_at <= clock.now():
        cart.delete()
        return None, True
    return cart, False


def _actor(user) -> str:
    return f"subscriber:{user.customer_id}" if user is not None else "visitor"


def forget_invoice(cart: Cart, user) -> None:
    """A changed cart is billed afresh at checkout: the invoice made from it is voided."""
    if cart.invoice_id is not None:
        void_invoice(cart.invoice, actor=_actor(user))
    cart.invoice = None


def _touch(cart: Cart, user, action: str, fields=()) -> None:
    now = clock.now()
    forget_invoice(cart, user)
    cart.updated_at = now
    cart.expires_at = now + timedelta(days=settings.STOREFRONT_CART_DAYS)
    if user is not None and cart.user_id is None:
        cart.user = user
    cart.save(update_fields=["updated_at", "expires_at", "invoice", "user"])
    audit.record(_actor(user), f"storefront.cart.{action}",
                 user.subject_id if user is not None else None, list(fields), f"cart:{cart.pk}")


def _lock(cart: Cart | None, user) -> Cart:
    if user is not None:
        lock_subject_for_write(user.subject_id)
    if cart is None:
        now = clock.now()
        return Cart.objects.create(
            token=secrets.token_urlsafe(32), user=user, created_at=now, updated_at=now,
            expires_at=now + timedelta(days=settings.STOREFRONT_CART_DAYS))
    return Cart.objects.select_for_update().get(pk=cart.pk)


def _years(value) -> int:
    try:
        years = int(value)
    except (TypeError, ValueError):
        years = 0
    if not MIN_YEARS <= years <= MAX_YEARS:
        raise CartError(f"Choose {MIN_YEARS} to {MAX_YEARS} years.", "years")
    return years


def _attachable(cart: Cart, user, text: str) -> str:
    """Return the A-label of a domain in the cart or of one of ``user``'s domains."""
    if not (text or "").strip():
        return ""
    try:
        ascii_name = parse_host(text).ascii
    except NameRefused as exc:
        raise CartError(str(exc), "domain") from None
    if cart.items.filter(kind=CartItem.Kind.REGISTER, domain=ascii_name).exists():
        return ascii_name
    if user is not None and domain_of(user, ascii_name) is not None:
        return ascii_name
    raise CartError("Attach the plan to a domain in your cart or one of your domains.",
                    "domain")


def _new_registration(cart: Cart, text: str, years, privacy) -> CartItem:
    try:
        name = parse_domain(text)
    except NameRefused as exc:
        raise CartError(str(exc), "domain", exc.rule) from None
    if name.tld not in tld_prices():
        raise CartError(f"Names under .{name.tld} are not on sale.", "domain")
    if cart.items.filter(kind=CartItem.Kind.REGISTER, domain=name.ascii).exists():
        raise CartError(f"{name.unicode} is in your cart already.", "domain", "duplicate")
    [answer] = check_availability([name.ascii])
    if not answer.available:
        raise CartError(answer.message, "domain", "taken")
    return CartItem(cart=cart, kind=CartItem.Kind.REGISTER, domain=name.ascii,
                    years=_years(years), privacy=bool(privacy))


def _new_transfer(cart: Cart, text: str) -> CartItem:
    """A transfer in of a name registered at another registrar (its auth code is asked for
    at checkout, never kept in the cart)."""
    try:
        name = parse_domain(text)
    except NameRefused as exc:
        raise CartError(str(exc), "domain", exc.rule) from None
    if name.tld not in tld_prices():
        raise CartError(f"Names under .{name.tld} cannot be transferred to us.", "domain")
    if Domain.objects.filter(name=name.ascii, state__in=SPONSORED_STATES).exists():
        raise CartError(f"{name.unicode} is registered with us already.", "domain",
                        "already_ours")
    if cart.items.filter(kind=CartItem.Kind.TRANSFER, domain=name.ascii).exists():
        raise CartError(f"{name.unicode} is in your cart already.", "domain", "duplicate")
    [answer] = check_availability([name.ascii])
    if answer.available:
        raise CartError(f"{name.unicode} is not registered anywhere: register it instead.",
                        "domain", "not_found")
    return CartItem(cart=cart, kind=CartItem.Kind.TRANSFER, domain=name.ascii, years=1)


def _new_renewal(cart: Cart, user, text: str, years) -> CartItem:
    domain = domain_of(user, text) if user is not None else None
    if domain is None:
        raise CartError("Log in, and choose one of your domains to renew.", "domain")
    years = _years(years)
    if domain.expires_at + relativedelta(years=years) > clock.now() + relativedelta(
            years=MAX_REGISTRATION_YEARS):
        raise CartError(f"A domain can be registered at most {MAX_REGISTRATION_YEARS} years "
                        "ahead.", "years")
    if cart.items.filter(kind=CartItem.Kind.RENEW, domain=domain.name).exists():
        raise CartError("This renewal is in your cart already.", "domain", "duplicate")
    return CartItem(cart=cart, kind=CartItem.Kind.RENEW, domain=domain.name, years=years)


def _new_plan(cart: Cart, user, price_id, domain: str) -> CartItem:
    try:
        pk = int(price_id)
    except (TypeError, ValueError):
        pk = None
    price = Price.objects.filter(pk=pk, active=True, product__active=True).first()
    if price is None:
        raise CartError("Choose a plan and billing cycle on offer.", "price_id")
    return CartItem(cart=cart, kind=CartItem.Kind.PLAN, price=price,
                    domain=_attachable(cart, user, domain))


@transaction.atomic
def add_item(cart: Cart | None, user, *, kind: str, domain: str = "", years=1, price_id=None,
             privacy: bool = False) -> Cart:
    """Put a domain registration, a renewal of one of ``user``'s domains, a transfer in, or a
    plan (a catalogue price, optionally attached to a domain) into the cart; answer the cart
    (new if ``cart`` is None)."""
    if kind not in CartItem.Kind.values:
        raise CartError("Choose a registration, a renewal, a transfer or a plan.", "kind")
    if kind == CartItem.Kind.RENEW and user is None:
        raise CartError("Log in to renew one of your domains.", "domain")
    cart = _lock(cart, user)
    if kind == CartItem.Kind.REGISTER:
        item = _new_registration(cart, domain, years, privacy)
    elif kind == CartItem.Kind.RENEW:
        item = _new_renewal(cart, user, domain, years)
    elif kind == CartItem.Kind.TRANSFER:
        item = _new_transfer(cart, domain)
    else:
        item = _new_plan(cart, user, price_id, domain)
    item.created_at = clock.now()
    item.save()
    _touch(cart, user, "add", ["domain"] if item.domain else [])
    return cart


def _item(cart: Cart, item_id) -> CartItem:
    try:
        pk = int(item_id)
    except (TypeError, ValueError):
        pk = None
    item = cart.items.filter(pk=pk).first() if pk else None
    if item is None:
        raise CartError("This item is not in your cart.", "item")
    return item


@transaction.atomic
def remove_item(cart: Cart, user, item_id) -> None:
    """Take an item out of the cart; plans attached to a removed domain stay, detached."""
    cart = _lock(cart, user)
    item = _item(cart, item_id)
    if item.kind == CartItem.Kind.REGISTER:
        cart.items.filter(kind=CartItem.Kind.PLAN, domain=item.domain).update(domain="")
    item.delete()
    _touch(cart, user, "remove")


@transaction.atomic
def set_years(cart: Cart, user, item_id, years) -> CartItem:
    """Change how many years a domain item registers or renews for."""
    cart = _lock(cart, user)
    item = _item(cart, item_id)
    if item.kind == CartItem.Kind.PLAN:
        raise CartError("A plan renews by its billing cycle; choose another cycle instead.",
                        "years")
    if item.kind == CartItem.Kind.TRANSFER:
        raise CartError("A transfer adds one year to the registration; renew it for more.",
                        "years")
    item.years = _years(years)
    item.save(update_fields=["years"])
    _touch(cart, user, "years")
    return item


@transaction.atomic
def attach_plan(cart: Cart, user, item_id, domain: str) -> CartItem:
    """Attach a plan to a domain in the cart or one of ``user``'s domains (empty: detach)."""
    cart = _lock(cart, user)
    item = _item(cart, item_id)
    if item.kind != CartItem.Kind.PLAN:
        raise CartError("Only a plan can be attached to a domain.", "item")
    item.domain = _attachable(cart, user, domain)
    item.save(update_fields=["domain"])
    _touch(cart, user, "attach", ["domain"])
    return item


@transaction.atomic
def remove_items(cart: Cart, user, names: list[str]) -> None:
    """Take the registrations of ``names`` out of the cart (they were taken meanwhile)."""
    cart = _lock(cart, user)
    cart.items.filter(kind=CartItem.Kind.PLAN, domain__in=names).update(domain="")
    cart.items.filter(kind=CartItem.Kind.REGISTER, domain__in=names).delete()
    _touch(cart, user, "remove")


def delete_expired_carts() -> int:
    """Delete the carts past their expiry that were never checked out; answer how many."""
    _, per_model = (Cart.objects.filter(expires_at__lte=clock.now(), checkout__isnull=True)
                    .delete())
    return per_model.get(Cart._meta.label, 0)
