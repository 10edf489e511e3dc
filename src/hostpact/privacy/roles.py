"""Staff roles and the data categories each may see in the back office.

A role is a Django group of the same name. Which apps' back-office pages a role may open, each
app registers (``registry.back_office``). What a role sees there is written as fideslang category
prefixes, so the back office derives the visible fields of any model from the data map: a field
added to a datamap is shown to exactly the roles whose work covers its category, with no list of
fields to keep in step. Credentials (``user.authorization``) are never shown as values; a role
holding that prefix sees only whether a credential is set.
"""

from dataclasses import dataclass

from hostpact.privacy import registry, taxonomy

CREDENTIALS = "user.authorization"


@dataclass(frozen=True)
class Role:
    name: str
    description: str
    categories: tuple[str, ...]


ALL = ("user", "system", "custom")

ROLES = {
    r.name: r
    for r in [
        Role("support", "Answers subscribers: contact and account data, never billing.",
             ("user.name", "user.contact", "user.account", CREDENTIALS)),
        Role("billing", "Collects payment: billing contact, invoices and card summaries.",
             ("user.name", "user.contact.address", "user.contact.email", "user.financial")),
        Role("compliance", "Legal and privacy: sees every category, and the audit ledger.", ALL),
        Role("marketing", "Promotes our products: names and email addresses only.",
             ("user.name", "user.contact.email")),
        Role("abuse", "Investigates abuse reports: contact and device data.",
             ("user.name", "user.contact", "user.device")),
    ]
}


def role_names(user) -> list[str]:
    """The roles of a staff member (its groups that are roles)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_staff:
        return []
    cached = getattr(user, "_hostpact_roles", None)
    if cached is None:
        cached = sorted(set(user.groups.values_list("name", flat=True)) & set(ROLES))
        user._hostpact_roles = cached
    return cached


def has_role(user, *names: str) -> bool:
    """Return True if ``user`` is active staff and a superuser or holds one of the roles
    ``names``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or bool(set(names) & set(role_names(user)))


def prefixes_for(user) -> tuple[str, ...]:
    """The category prefixes ``user`` may see; superusers see all."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return ALL
    out: list[str] = []
    for name in role_names(user):
        out.extend(ROLES[name].categories)
    return tuple(dict.fromkeys(out))


def may_see(user, category: str) -> bool:
    """True if ``user`` may see data of ``category`` (a fideslang key)."""
    return any(taxonomy.within(category, p) for p in prefixes_for(user))


def may_open(user, model) -> bool:
    """True if one of ``user``'s roles may open ``model`` in the back office (each app says
    which roles may, ``registry.back_office``)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return bool(registry.back_office_roles(model) & set(role_names(user)))


def is_credential(category: str) -> bool:
    return taxonomy.within(category, CREDENTIALS)
