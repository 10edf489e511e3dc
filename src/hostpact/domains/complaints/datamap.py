"""Data-map declarations of the domain privacy complaints.

The complainant is a data subject of their own (declared as ``visitor``, like others who write
to us from the public site; core kind ``inquirer``). Their identity and grounds serve the case:
they are passed to the domain's customer, who must contact them (policy 4.8), and used to mail
them each step. The customer's answer serves the same case; it is a row of its own tied to the
subscriber's subject, so the subscriber's export and "My information" list it under "Answers to
complaints about my domains", and nothing of the complainant's. Both are kept with the domain's
registration records (class ``registration``: the term and 2 years after sponsorship ends) under
a legal basis, not shredded at an erasure request: the complaint is the record of why the domain
was deactivated and why a contact was disclosed, needed to establish or defend the claims the
disclosure was made for.
"""

from hostpact.domains.complaints.models import Complaint, ComplaintAnswer, ComplaintStep
from hostpact.privacy import controllers, registry
from hostpact.privacy.registry import Erasure, declare, not_personal, personal

_BASIS = ("Privacy policy 4.8 and the registration agreement: the record of a complaint, the "
          "assurances asked and any disclosure it led to, kept with the registration records "
          "to establish or defend legal claims")
_case = ("essential.service", "essential.legal_obligation",
         "essential.service.notifications.email")
_them = dict(subject="visitor", purposes=_case, retention="registration", erasure=Erasure.KEEP,
             legal_basis=_BASIS)
_ours = dict(subject="subscriber", purposes=_case, retention="registration",
             erasure=Erasure.KEEP, legal_basis=_BASIS)

declare(
    Complaint,
    id=not_personal(), domain=not_personal(), owner_subject=not_personal(),
    subject=not_personal(),
    name=personal("user.name", label="Complainant's name", **_them),
    organization=personal("user.contact.organization", label="Complainant's organisation",
                          **_them),
    email=personal("user.contact.email", label="Complainant's email", **_them),
    phone=personal("user.contact.phone_number", label="Complainant's phone", **_them),
    address=personal("user.contact.address", label="Complainant's address", **_them),
    grounds=personal("user.content.private", label="Grounds of the complaint", **_them),
    reference=personal("user.content.private", label="Complainant's reference", **_them),
    filed_by=not_personal("anonymous or a staff id"),
    filed_at=not_personal(), due_on=not_personal("a deadline computed from the filing date"),
    state=not_personal("the step a case is at"), decided_at=not_personal(),
    decided_by=not_personal("a staff id"), enforced_at=not_personal(),
)
declare(
    ComplaintAnswer,
    id=not_personal(), complaint=not_personal(), subject=not_personal(),
    statement=personal("user.content.private",
                       label="Your written confirmation that you contacted the complainant",
                       **_ours),
    indemnity_accepted=personal("user.account.settings",
                                label="You accepted to indemnify us", **_ours),
    evidence_name=personal("user.content.private", label="Proof you sent (file name)",
                           **_ours),
    evidence_type=not_personal("a media type"),
    evidence=personal("user.content.private", label="Proof you sent (the file, base64)",
                      **_ours),
    answered_at=personal("user.account", label="Answered on", **_ours),
)
declare(ComplaintStep, id=not_personal(), complaint=not_personal(),
        kind=not_personal("a step of a case"), at=not_personal(),
        actor=not_personal("a role and id"))

registry.section(ComplaintAnswer, "Answers to complaints about my domains", order=62)
registry.back_office("domain_complaints", roles=("abuse",))

# A complaint is kept with the registration records: ours as registrar (policy 10.1).
controllers.registrar_data("domain_complaints")
