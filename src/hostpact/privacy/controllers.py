"""Who controls a subject's data: the platform, or the reseller whose customer the subject is.

Policy 10.1: for data collected under a reseller's direction the reseller is the controller and
the platform processes it on the reseller's behalf; for domain registration data the platform
stays the controller as registrar and the reseller is its processor. So each model of the data
map has a controller kind (``RELATIONSHIP`` by default, ``REGISTRAR`` where the domains app says
so), and each subject a realm: rights requests, exports, erasure and retention follow the pair.

The privacy layer knows no reseller: the resellers app registers the resolver that turns a realm
into its controller's contact (``register_resolver``).
"""

from collections.abc import Callable
from dataclasses import dataclass

RELATIONSHIP = "relationship"  # ours for our customers; the reseller's for its customers
REGISTRAR = "registrar"  # ours as registrar whoever's customer; a reseller processes it

_kinds: dict[str, str] = {}


@dataclass(frozen=True)
class Controller:
    """A business that controls its customers' data, as its customers are shown it."""

    name: str
    contact_name: str
    email: str
    address: str
    realm_id: int
    forward_url: str = ""  # where the subject asks us to forward a request to it
    policy_additions: str = ""  # Markdown the controller adds to its privacy page
    choice_url: str = ""  # where its customer stops its contact (policy 10.2)


_resolver: Callable[[int], Controller | None] | None = None


def registrar_data(target) -> None:
    """Declare the data of ``target`` (a model, or an app label for all its models) ours as
    registrar, whatever the relationship of the subject it is about."""
    key = target if isinstance(target, str) else target._meta.label_lower
    _kinds[key] = REGISTRAR


def kind_of(model) -> str:
    """Return ``REGISTRAR`` or ``RELATIONSHIP`` for ``model``'s data."""
    meta = model._meta
    return _kinds.get(meta.label_lower) or _kinds.get(meta.app_label) or RELATIONSHIP


def label_of(kind: str, controller: "Controller | None") -> str:
    """Return who controls data of ``kind`` for a subject whose relationship data
    ``controller`` controls (None: the platform), as the export names it."""
    if kind == REGISTRAR:
        return "hostpact as registrar"
    if controller is None:
        return "hostpact"
    return f"{controller.name} (we process it for them)"


def describe(kind: str) -> str:
    """Return the data map's sentence for a controller kind."""
    if kind == REGISTRAR:
        return "hostpact as registrar, for every customer (a reseller processes it for us)"
    return ("hostpact for its own customers; the reseller for data collected under its "
            "direction (hostpact processes it)")


def register_resolver(resolver: Callable[[int], Controller | None]) -> None:
    """Set the function that turns a realm id into its controller (the resellers app's)."""
    global _resolver
    _resolver = resolver


def for_realm(realm_id) -> Controller | None:
    """Return the controller of ``realm_id``'s customers' data (None: the platform)."""
    if realm_id is None or _resolver is None:
        return None
    return _resolver(realm_id)


def of_subject(subject_id) -> Controller | None:
    """Return the controller of ``subject_id``'s relationship data (None: the platform)."""
    from hostpact.core.models import Subject

    realm_id = Subject.objects.filter(pk=subject_id).values_list("realm_id", flat=True).first()
    return for_realm(realm_id)
