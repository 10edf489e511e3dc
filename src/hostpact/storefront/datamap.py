"""Data-map declarations of the storefront: carts, checkouts and fulfilments.

A domain name in a cart is declared personal. A cart is anonymous only until its visitor signs
in; from then on it is the subscriber's, and the names someone means to register are often
their own name or their business's, and say what they plan. It is kept no longer than the cart
(``STOREFRONT_CART_DAYS``, or until checkout) and deleted with the subscriber's carts at
erasure. A fulfilment's domain is registration data like the domain's own name, kept under the
registration class. A transfer's auth code is a credential: kept encrypted only until the
transfer is done or refused, then cleared. Contact handles, name servers and error codes are
not about a person.
"""

from hostpact.privacy import registry
from hostpact.privacy.registry import Erasure, declare, not_personal, personal
from hostpact.storefront.models import Cart, CartItem, Checkout, Fulfilment

_reg = dict(purposes=("essential.service", "essential.legal_obligation"),
            retention="registration", erasure=Erasure.KEEP)

declare(
    Cart,
    id=not_personal(), user=not_personal(), invoice=not_personal(),
    token=not_personal("a random id, the session's key to the cart"),
    created_at=not_personal(), updated_at=not_personal(),
    expires_at=not_personal("last change plus the cart's lifetime, a rule's date"),
)
declare(
    CartItem,
    id=not_personal(), cart=not_personal(), price=not_personal(), created_at=not_personal(),
    kind=not_personal("what is in the cart: registration, renewal, transfer or plan"),
    domain=personal("user.contact.url", label="Domain name in the cart",
                    purposes=("essential.service",), retention="account",
                    erasure=Erasure.DELETE),
    years=not_personal("a number of years"),
    privacy=personal("user.account.settings", label="Domain privacy chosen in the cart",
                     purposes=("essential.service",), retention="account",
                     erasure=Erasure.DELETE),
)
declare(
    Checkout,
    id=not_personal(), cart=not_personal(), user=not_personal(), subject=not_personal(),
    invoice=not_personal(), created_at=not_personal(),
)
declare(
    Fulfilment,
    id=not_personal(), checkout=not_personal(), order=not_personal(), user=not_personal(),
    subject=not_personal(),
    kind=not_personal("registration, renewal or transfer in"),
    domain=personal("user.contact.url", label="Domain being registered", **_reg),
    years=not_personal("a number of years"),
    privacy=personal("user.account.settings", label="Domain privacy ordered", **_reg),
    contacts=not_personal("contact handles C<number>-HP; the contacts are declared on their own"),
    nameservers=not_personal("host names of name servers: infrastructure, not a person"),
    auth_code=personal("user.authorization.credentials", label="Transfer auth code",
                       purposes=("essential.service",), retention="security",
                       erasure=Erasure.DELETE),
    state=not_personal(), attempts=not_personal(),
    last_error=not_personal("an error code, never the registry's text"),
    created_at=not_personal(), updated_at=not_personal(),
)


@registry.erasure_step("carts")
def _delete_carts(ctx) -> None:
    """Delete the subscriber's carts (and the names in them)."""
    deleted, _ = Cart.objects.filter(user__subject_id=ctx.subject_id).delete()
    ctx.add("carts_deleted", deleted)
