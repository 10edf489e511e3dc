"""The request's state machine and the checks every step makes before it writes.

Who may work requests, which state may follow which, how a refused step is reported
(``RequestError`` and its kinds), and how a step locks and saves its row: the other service
modules share these, so each step refuses and saves the same way.
"""

from collections.abc import Callable

from hostpact.core import audit
from hostpact.privacy import controllers
from hostpact.privacy.subject_requests.models import DataSubjectRequest

DSR = DataSubjectRequest
S = DSR.Status
WORKING_ROLES = ("support", "compliance")

TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.IDENTITY_UNVERIFIED, S.DENIED}),
    # Resending a code keeps the request where it is.
    S.IDENTITY_UNVERIFIED: frozenset({S.IDENTITY_UNVERIFIED, S.VERIFIED, S.DENIED}),
    S.VERIFIED: frozenset({S.IN_PROGRESS, S.DENIED}),
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.DENIED}),
    S.COMPLETED: frozenset(),
    S.DENIED: frozenset(),
}


class RequestError(Exception):
    """A request action refused; ``errors`` maps a form field (or ``__all__``) to messages."""

    def __init__(self, message: str, field: str = "__all__"):
        super().__init__(message)
        self.errors = {field: [message]}


class IllegalTransition(RequestError):
    """The request's state does not allow this step."""


class NotVerified(IllegalTransition):
    """The person's identity is not verified yet: nothing may happen for them."""


def may_work(user) -> bool:
    """Return True if ``user`` may handle requests: superusers, the support and compliance
    roles."""
    from hostpact.privacy import roles

    return roles.has_role(user, *WORKING_ROLES)


def require_staff(staff) -> str:
    """Return the audit actor of ``staff``; raise PermissionError if they may not work
    requests."""
    if not may_work(staff):
        raise PermissionError("only support, compliance or a superuser may handle requests")
    return audit.actor_of(staff)


def state_name(status: str) -> str:
    return str(S(status).label).lower()


def locked_row(dsr: DSR) -> DSR:
    """Return the request's row, locked for the rest of the transaction."""
    return DSR.objects.select_for_update(of=("self",)).select_related("user").get(pk=dsr.pk)


def move(dsr: DSR, to: str) -> None:
    """Put ``dsr`` in state ``to``; raise ``IllegalTransition`` naming both states if the
    machine does not allow it (the caller saves)."""
    if to not in TRANSITIONS[dsr.status]:
        raise IllegalTransition(
            f"{dsr.reference} is {state_name(dsr.status)}: it cannot go to {state_name(to)}.")
    dsr.status = to


def save(dsr: DSR, *fields: str) -> None:
    # Always by field: after an erasure the subject's key is gone, and saving a row whose
    # encrypted fields were not asked to change must not try to re-encrypt them.
    dsr.save(update_fields=list(fields))


def require_in_progress(dsr: DSR, kind: str | None = None) -> None:
    """Raise unless ``dsr`` is verified, in progress and (when given) of ``kind``."""
    if dsr.status in (S.RECEIVED, S.IDENTITY_UNVERIFIED):
        raise NotVerified(f"{dsr.reference}: the person's identity is not verified yet; nothing "
                          "can be done for them before it is.")
    if dsr.status != S.IN_PROGRESS:
        raise IllegalTransition(f"{dsr.reference} is {state_name(dsr.status)}; this step needs "
                                "it in progress.")
    if kind and dsr.kind != kind:
        raise IllegalTransition(f"{dsr.reference} is a request for {dsr.kind}, not {kind}.")


# The staff page that forwards a request to its subject's controller (the resellers app's).
_forward_page: list[Callable[[DSR], str]] = []


def register_forward_page(url_for: Callable[[DSR], str]) -> None:
    """Set the function that names the staff page forwarding ``dsr`` to its controller."""
    _forward_page[:] = [url_for]


def require_ours(dsr: DSR) -> None:
    """Raise ``RequestError`` naming the controller when another business (a reseller)
    controls the person's data: we do not act on their request unless it directs us to
    (policy 10.1, C38); staff forward it instead."""
    controller = controllers.of_subject(dsr.subject_id)
    if controller is None:
        return
    where = f" Forward it from {_forward_page[0](dsr)} ." if _forward_page else ""
    raise RequestError(
        f"{dsr.reference} is about a customer of {controller.name}, which controls their data: "
        f"we do not act on it unless {controller.name} directs us to. Send the person to its "
        f"data controller ({controller.contact_name}, {controller.email}) or, with their "
        f"consent, forward the request to it.{where}")
