"""The one write of the directories: forwarding a message to a domain's contact (policy 4.7).

WHOIS and RDAP publish, instead of an unpublished contact's email address, the URL of a form
(``rds.published.form_url``); ``forward_message`` is what the form does. The message is queued
in the outbox to the contact's real address, which the sender never sees. For a domain with
the privacy service on, the service forwards to the customer: the message goes to the domain's
registrant contact (policy 4.8). The sender's name, address and message exist only in the
outbox message (encrypted under the recipient's key, purged with the outbox); the audit event
names the domain and role, never the sender. Passing the sender's own message on to the
contact they wrote to is not a disclosure of anyone's data to a third party.
"""

from django.conf import settings
from django.db import transaction

from hostpact.core import audit
from hostpact.core.mail import queue_mail
from hostpact.domains.models import SPONSORED_STATES, Domain, DomainContact
from hostpact.domains.queries import shown
from hostpact.privacy.rights.guard import SubjectErased, lock_subject_for_write
from hostpact.rds.published import ROLES

ROLE_WORDS = {"registrant": "registrant", "admin": "administrative", "tech": "technical",
              "billing": "billing"}


class ForwardRefused(Exception):
    """The message cannot be forwarded; ``field`` names what is wrong. Nothing was queued."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def published_domain_named(name: str) -> Domain | None:
    """The sponsored domain ``name`` (A-label), or None."""
    return Domain.objects.filter(name=name, state__in=SPONSORED_STATES).first()


def _body(domain: Domain, role: str, sender_name: str, sender_email: str, message: str) -> str:
    registrar = settings.REGISTRAR["name"]
    return (
        f"Hello,\n\nThis message was sent to the {ROLE_WORDS[role]} contact of the domain "
        f"{shown(domain.name)} through the WHOIS contact form of {registrar}. Your email "
        f"address was not shown to the sender; if you answer, they will see it.\n\n"
        f"From: {sender_name} <{sender_email}>\n\n"
        f"----- message -----\n{message}\n----- end of message -----\n\n"
        f"To answer, write to {sender_email}. If this message is abuse, forward it to "
        f"{settings.REGISTRAR['abuse_email']}.\n")


@transaction.atomic
def forward_message(domain_name: str, role: str, *, sender_name: str, sender_email: str,
                    message: str, actor: str) -> None:
    """Queue ``message`` from the sender to ``role``'s contact of ``domain_name`` (for a
    privacy-protected domain, to the customer's registrant contact)."""
    if role not in ROLES:
        raise ForwardRefused(f"{role!r} is not a contact role.", "role")
    domain = published_domain_named(domain_name)
    if domain is None:
        raise ForwardRefused(f"{domain_name} is not a domain registered with us.", "domain")
    try:
        lock_subject_for_write(domain.subject_id)
    except SubjectErased:
        raise ForwardRefused(f"{shown(domain.name)} cannot receive messages now.",
                             "domain") from None
    target = "registrant" if domain.privacy else role
    held = (DomainContact.objects.filter(domain=domain, role=target)
            .select_related("contact").first())
    if held is None or not held.contact.email:
        raise ForwardRefused(f"The {ROLE_WORDS[role]} contact of {shown(domain.name)} cannot "
                             "be reached by this form.", "role")
    contact = held.contact
    queue_mail(contact.contact_subject_id, contact.email,
               f"Message about {shown(domain.name)} from the WHOIS contact form",
               _body(domain, role, sender_name, sender_email, message))
    audit.record(actor, "rds.contact.forward", contact.contact_subject_id, ["email"],
                 object_ref=f"domain:{domain.pk}:{role}")
