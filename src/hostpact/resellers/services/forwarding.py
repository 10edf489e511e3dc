"""Rights requests the platform forwards to the reseller that controls the data (C38).

Policy 10.1: a reseller's customer who asks us for access, correction or deletion of the data
the reseller controls is sent to the reseller's data controller. We do not act on the request
ourselves; if the customer consents, we forward it (their customer id, the kind of request and
their message) to the reseller's request queue and tell the reseller's controller by mail.
Without the consent nothing is recorded and nothing leaves.
"""

from django.db import transaction

from hostpact.accounts.models import User
from hostpact.core import audit, clock
from hostpact.core.customer_ids import customer_id_for
from hostpact.core.mail import queue_mail
from hostpact.privacy.disclosures.services import DisclosureRefused
from hostpact.resellers.models import ForwardedRequest, Reseller
from hostpact.resellers.services.touches import record_touch

CHANNELS = ("panel", "api", "support", "phone")
MESSAGE_MAX = 4000


class ForwardingError(ValueError):
    """A request that cannot be forwarded; ``field`` names the part at fault."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def consent_text(reseller: Reseller) -> str:
    """Return the sentence the customer ticks to let us forward their request."""
    return f"Forward my request, my customer ID and this message to {reseller.name}"


def _ref(fr: ForwardedRequest) -> str:
    return f"forwarded:{fr.pk}"


def _mail_reseller(reseller: Reseller, customer: User, fr: ForwardedRequest) -> None:
    kind = ForwardedRequest.Kind(fr.kind).label.lower()
    message = fr.message or "(no message)"
    queue_mail(customer.subject_id, reseller.controller_email,
               f"A customer's request: {kind} (request {fr.pk})",
               f"Hello {reseller.controller_name},\n\nyour customer {customer_id_for(customer.pk)} "
               f"asked us for {kind}. You control this data, so we forwarded the request to "
               f"you with the customer's consent; we do not act on it unless you direct us to "
               f"(for a deletion: your removal request).\n\nChannel: {fr.channel}\n"
               f"Their message:\n{message}\n\nThe request is in the request queue of your "
               "reseller panel; mark it answered there once you have answered the customer.\n",
               category="transactional")


def forward_request(reseller: Reseller, customer: User, *, kind: str, message: str = "",
                    channel: str, consent_text: str, actor: str) -> ForwardedRequest:
    """Record ``customer``'s request to ``reseller``'s queue with their consent and mail the
    reseller's controller; raise ``ForwardingError`` (nothing recorded) on bad input."""
    if customer.realm_id != reseller.realm_id:
        raise ForwardingError("This account is not a customer of this reseller.", "customer")
    if kind not in ForwardedRequest.Kind.values:
        raise ForwardingError(f"kind: choose one of {', '.join(ForwardedRequest.Kind.values)}.",
                              "kind")
    if channel not in CHANNELS:
        raise ForwardingError(f"channel: one of {', '.join(CHANNELS)}.", "channel")
    consent_text = (consent_text or "").strip()
    if not consent_text:
        raise ForwardingError("consent: the customer must agree to the forwarding first.",
                              "consent")
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise ForwardingError(f"message: at most {MESSAGE_MAX} characters.", "message")
    # What goes to the reseller (the customer id, the message) leaves through the gate first.
    try:
        record_touch(reseller, [customer.subject_id],
                     ["user.account", *(["user.content.private"] if message else [])],
                     actor=actor)
    except DisclosureRefused as exc:
        raise ForwardingError(f"{reseller.name} cannot receive requests through us now "
                              f"({exc.reason}); write to {reseller.controller_email}.",
                              "reseller") from exc
    with transaction.atomic():
        fr = ForwardedRequest.objects.create(
            reseller=reseller, subject_id=customer.subject_id, kind=kind, channel=channel,
            message=message, consent_text=consent_text[:300], consented_at=clock.now())
        audit.record(actor, "resellers.request.forward", customer.subject_id,
                     ["message"] if message else [], _ref(fr))
        _mail_reseller(reseller, customer, fr)
    return fr


@transaction.atomic
def answer_forwarded(fr: ForwardedRequest, *, actor: str) -> ForwardedRequest:
    """Mark a forwarded request answered by the reseller (a second call changes nothing)."""
    fr = ForwardedRequest.objects.select_for_update().get(pk=fr.pk)
    if fr.state == ForwardedRequest.State.ANSWERED:
        return fr
    fr.state, fr.answered_at, fr.answered_by = (ForwardedRequest.State.ANSWERED, clock.now(),
                                                actor[:64])
    fr.save(update_fields=["state", "answered_at", "answered_by"])
    audit.record(actor, "resellers.request.answer", fr.subject_id, ["state"], _ref(fr))
    return fr


def open_requests(reseller: Reseller):
    """Return ``reseller``'s forwarded requests still waiting for its answer, newest first."""
    return ForwardedRequest.objects.filter(reseller=reseller, state=ForwardedRequest.State.OPEN)
