"""Checkout: one invoice for the cart, one charge, and the fulfilment rows with the payment.

It runs in two transactions on the locked cart row. The first re-checks that each domain is
still free (a name taken since the search is taken out of the cart, and nothing is charged)
and issues the invoice, or keeps the open one a declined card left behind, so a retry pays
the same invoice. The second charges it and, in the same transaction, records the checkout
and one ``Fulfilment`` per domain item; the registration runs after commit, in a task. A
second submit waits on the cart's lock and then finds the checkout done: it charges nothing.
A transfer's auth code is asked for here (never kept in the cart) and kept encrypted on its
fulfilment until the transfer is done or refused.
"""

from django.conf import settings
from django.db import transaction

from hostpact.accounts.queries import profile_of
from hostpact.billing.models import Invoice
from hostpact.billing.services import BillingError, invoice_orders, pay_invoice, place_items
from hostpact.core import audit, clock
from hostpact.domains.models import Contact
from hostpact.domains.queries import shown
from hostpact.domains.services.availability import check_availability
from hostpact.domains.services.common import DomainError
from hostpact.domains.services.contacts import ROLES, create_contact
from hostpact.domains.services.nameservers import clean_nameservers
from hostpact.privacy.rights.guard import lock_subject_for_write
from hostpact.storefront.models import Cart, CartItem, Checkout, Fulfilment
from hostpact.storefront.pricing import price_items
from hostpact.storefront.services.cart import forget_invoice
from hostpact.storefront.tasks import fulfil

MINE = "me"  # the contact choice "use my details"
WITH_CONTACTS = (CartItem.Kind.REGISTER, CartItem.Kind.TRANSFER)
FULFILMENT_KINDS = {CartItem.Kind.REGISTER: Fulfilment.Kind.REGISTER,
                    CartItem.Kind.RENEW: Fulfilment.Kind.RENEW,
                    CartItem.Kind.TRANSFER: Fulfilment.Kind.TRANSFER}


class CheckoutError(Exception):
    """Checkout was refused; ``field`` names what is wrong, ``code`` says why. Nothing was
    charged. ``removed`` lists the names taken out of the cart (taken since the search)."""

    def __init__(self, message: str, field: str = "", code: str = "invalid", removed=()):
        super().__init__(message)
        self.field, self.code, self.removed = field, code, list(removed)


def _actor(user) -> str:
    return f"subscriber:{user.customer_id}"


def claim_cart(cart: Cart, user) -> Cart:
    """Make an anonymous cart ``user``'s (after signing up or in on the way to checkout)."""
    if cart.user_id is None:
        with transaction.atomic():
            lock_subject_for_write(user.subject_id)
            Cart.objects.filter(pk=cart.pk, user__isnull=True).update(user=user)
            audit.record(_actor(user), "storefront.cart.claim", user.subject_id, [],
                         f"cart:{cart.pk}")
        cart.user = user
    return cart


def clean_choices(user, contacts: dict, nameservers: list[str], domains: list[str]) -> dict:
    """Check the contact choice of each role (``MINE`` or one of ``user``'s handles) and the
    name servers for each domain; answer {role: handle-or-MINE}."""
    handles = set(Contact.objects.filter(user=user).values_list("handle", flat=True))
    chosen = {}
    for role in ROLES:
        value = (contacts.get(role) or MINE).strip()
        value = value if value == MINE else value.upper()
        if value != MINE and value not in handles:
            raise CheckoutError(f"You have no contact with the handle {value!r}.",
                                f"contact_{role}", "unknown_contact")
        chosen[role] = value
    for name in domains:
        try:
            clean_nameservers(name, nameservers)
        except DomainError as exc:
            raise CheckoutError(str(exc), "nameservers", exc.code) from None
    return chosen


def clean_auth_codes(cart: Cart, auth_codes: dict) -> dict[str, str]:
    """Return the auth code given for each transfer in ``cart`` ({A-label: code}), or refuse
    naming the first transfer without one."""
    codes = {}
    for item in cart.items.filter(kind=CartItem.Kind.TRANSFER):
        code = str(auth_codes.get(item.domain) or "").strip()
        if not code or len(code) > 255:
            raise CheckoutError(f"Give the auth code of {shown(item.domain)} (its current "
                                "registrar issues it).", f"auth_code_{item.pk}", "auth_code")
        codes[item.domain] = code
    return codes


def _my_contact(user) -> str:
    profile = profile_of(user)
    if profile is None:
        raise CheckoutError("Only subscribers with a profile can register domains.",
                            "contact_registrant", "no_profile")
    data = {k: getattr(profile, k) or "" for k in ("name", "phone", "line1", "line2", "city",
                                                   "region", "postal_code", "country")}
    data["email"] = user.email
    try:
        return create_contact(user, data, _actor(user)).handle
    except DomainError as exc:
        raise CheckoutError(f"Your details cannot be a domain contact: {exc} Correct them in "
                            "My information, or choose a contact.", "contact_registrant",
                            exc.code) from None


def _prepare(cart: Cart, user) -> tuple[Invoice | None, list[str]]:
    """Lock the cart, take out names taken meanwhile, and issue (or keep) its invoice; answer
    (None, []) when the cart is checked out already, (None, names) when names were taken."""
    lock_subject_for_write(user.subject_id)
    cart = Cart.objects.select_for_update().get(pk=cart.pk)
    if Checkout.objects.filter(cart=cart).exists():
        return None, []
    items = list(cart.items.all())
    if not items:
        raise CheckoutError("Your cart is empty.", "cart", "empty")
    registrations = [i.domain for i in items if i.kind == CartItem.Kind.REGISTER]
    taken = [a.name.ascii for a in check_availability(registrations) if not a.available]
    if taken:
        cart.items.filter(kind=CartItem.Kind.PLAN, domain__in=taken).update(domain="")
        cart.items.filter(kind=CartItem.Kind.REGISTER, domain__in=taken).delete()
        forget_invoice(cart, user)
        cart.save(update_fields=["invoice"])
        audit.record(_actor(user), "storefront.cart.remove", user.subject_id, ["domain"],
                     f"cart:{cart.pk}")
        return None, taken
    if cart.invoice_id and cart.invoice.status == Invoice.Status.OPEN:
        return cart.invoice, []
    priced = price_items(items, user.realm_id)
    if priced.unavailable:
        raise CheckoutError("An item of your cart is no longer on sale; remove it first.",
                            "cart", "unavailable")
    try:
        placed = place_items(user, [ln.line for ln in priced.lines], actor=_actor(user))
    except BillingError as exc:
        raise CheckoutError(str(exc), exc.field or "cart", exc.code) from None
    cart.invoice = placed.invoice
    cart.save(update_fields=["invoice"])
    return placed.invoice, []


def _fulfilments(checkout: Checkout, cart: Cart, user, invoice: Invoice, contacts: dict,
                 nameservers: list[str], auth_codes: dict) -> list[Fulfilment]:
    orders = {o.domain: o for o in invoice_orders(invoice)
              if o.kind in ("domain_registration", "domain_renewal", "domain_transfer")}
    items = [i for i in cart.items.all() if i.kind != CartItem.Kind.PLAN]
    if any(i.kind in WITH_CONTACTS for i in items) and MINE in contacts.values():
        mine = _my_contact(user)
        contacts = {role: mine if v == MINE else v for role, v in contacts.items()}
    now = clock.now()
    rows = [Fulfilment(
        checkout=checkout, order=orders[i.domain], user=user, subject_id=user.subject_id,
        kind=FULFILMENT_KINDS[i.kind], domain=i.domain, years=i.years, privacy=i.privacy,
        contacts=contacts if i.kind in WITH_CONTACTS else {},
        nameservers=list(nameservers) if i.kind == CartItem.Kind.REGISTER else [],
        auth_code=auth_codes.get(i.domain, "") if i.kind == CartItem.Kind.TRANSFER else "",
        created_at=now, updated_at=now) for i in items]
    return Fulfilment.objects.bulk_create(rows)


def _pay(cart: Cart, user, invoice: Invoice, contacts: dict, nameservers: list[str],
         auth_codes: dict) -> Checkout:
    lock_subject_for_write(user.subject_id)
    cart = Cart.objects.select_for_update().get(pk=cart.pk)
    done = Checkout.objects.filter(cart=cart).first()
    if done is not None:
        return done
    if cart.invoice_id != invoice.pk:  # changed in another tab since the invoice was made
        raise CheckoutError("Your cart changed while you were paying; nothing was charged. "
                            "Review it and pay again.", "cart", "changed")
    now = clock.now()
    checkout = Checkout.objects.create(cart=cart, user=user, subject_id=user.subject_id,
                                       invoice=invoice, created_at=now)
    rows = _fulfilments(checkout, cart, user, invoice, contacts, nameservers, auth_codes)
    try:
        pay_invoice(invoice, actor=_actor(user))
    except BillingError as exc:
        raise CheckoutError(str(exc), exc.field or "card", exc.code) from None
    cart.invoice = None
    cart.save(update_fields=["invoice"])
    audit.record(_actor(user), "storefront.checkout.pay", user.subject_id, ["domain"],
                 f"checkout:{checkout.pk}")
    for row in rows:
        transaction.on_commit(lambda pk=row.pk: fulfil.enqueue(pk))
    return checkout


def checkout_cart(cart: Cart, user, *, contacts: dict | None = None,
                  nameservers: list[str] | None = None,
                  auth_codes: dict | None = None) -> Checkout:
    """Pay for ``cart`` with ``user``'s card on file and queue its domains' registration
    (and transfers in, each with its auth code in ``auth_codes``: {A-label: code}).

    Raises ``CheckoutError``: a domain taken since the search (taken out of the cart,
    nothing charged), a declined card (the invoice stays open; a retry pays the same one).
    """
    nameservers = list(nameservers or settings.DOMAIN_DEFAULT_NAMESERVERS)
    cart = claim_cart(cart, user)
    registrations = list(cart.items.filter(kind=CartItem.Kind.REGISTER)
                         .values_list("domain", flat=True))
    chosen = clean_choices(user, contacts or {}, nameservers, registrations)
    codes = clean_auth_codes(cart, auth_codes or {})
    with transaction.atomic():
        invoice, taken = _prepare(cart, user)
    if taken:  # after the commit that took them out of the cart
        names = ", ".join(shown(n) for n in taken)
        raise CheckoutError(f"{names} was registered by someone else since you searched. We "
                            "took it out of your cart and charged nothing; check the cart "
                            "and pay again.", "domain", "taken", removed=taken)
    if invoice is None:
        return Checkout.objects.get(cart=cart)
    with transaction.atomic():
        return _pay(cart, user, invoice, chosen, nameservers, codes)
