"""Data-map declarations of the domains app and its registrations with the spine.

Registration data is kept under the ``registration`` retention class (the term and 2 years
after sponsorship ends, ICANN RAA 3.4), under that class's legal basis. A contact's fields are
about the contact (data subject ``domain_contact``) and encrypted under the contact's own key;
the contact row's ``subject`` is its owner's, so the owner's export and "My information" list
the contacts. The built-in registry's tables are the registry's copy of what was submitted,
tied to the contact's own subject.
"""

from hostpact.domains.models import (
    Contact,
    Domain,
    DomainContact,
    EscrowDeposit,
    Nameserver,
    RegistryContact,
    RegistryDomain,
    RegistryMessage,
)
from hostpact.domains.services import retention
from hostpact.privacy import controllers, registry
from hostpact.privacy.registry import Erasure, declare, not_personal, personal

_reg = dict(purposes=("essential.service", "essential.legal_obligation"),
            retention="registration", erasure=Erasure.KEEP)
_contact = dict(subject="domain_contact", **_reg)

declare(
    Domain,
    id=not_personal(), user=not_personal(), subject=not_personal(),
    name=personal("user.contact.url", label="Domain name", **_reg),
    roid=not_personal("the registry's object id, a number"),
    created_at=personal("user.account", label="Registered on", **_reg),
    expires_at=personal("user.account", label="Expires on", **_reg),
    updated_at=not_personal(),
    auto_renew=personal("user.account.settings", label="Renews automatically", **_reg),
    statuses=personal("user.account.settings", label="Status (EPP)", **_reg),
    transfer_lock_until=not_personal("registration date plus 60 days, a rule's date"),
    auth_code_hash=personal("user.authorization.credentials", label="Transfer auth code",
                            purposes=("essential.service",), retention="registration",
                            erasure=Erasure.DELETE),
    privacy=personal("user.account.settings", label="Domain privacy", **_reg),
    state=personal("user.account", label="State", **_reg),
    hold_reasons=personal("user.account", label="Why it is on hold", **_reg),
    ended_at=personal("user.account", label="Sponsorship ended on", **_reg),
)
_ns = "a host name or address of a name server: infrastructure, not a person"
declare(Nameserver, id=not_personal(), domain=not_personal(),
        host=not_personal(_ns), addresses=not_personal(_ns), position=not_personal())
declare(DomainContact, id=not_personal(), domain=not_personal(), contact=not_personal(),
        role=not_personal("which role a contact holds; the contact is declared on its own"))

declare(
    Contact,
    id=not_personal(), user=not_personal(), subject=not_personal(),
    contact_subject=not_personal(),
    handle=not_personal("a handle C<number>-HP, a number"),
    name=personal("user.name", label="Contact name", **_contact),
    organization=personal("user.contact.organization", label="Contact organization",
                          **_contact),
    email=personal("user.contact.email", label="Contact email", **_contact),
    phone=personal("user.contact.phone_number", label="Contact phone", **_contact),
    line1=personal("user.contact.address.street", label="Contact address line 1", **_contact),
    line2=personal("user.contact.address.street", label="Contact address line 2", **_contact),
    city=personal("user.contact.address.city", label="Contact city", **_contact),
    region=personal("user.contact.address.state", label="Contact state or region",
                    **_contact),
    postal_code=personal("user.contact.address.postal_code", label="Contact postal code",
                         **_contact),
    country=personal("user.contact.address.country", label="Contact country", **_contact),
    publish=personal("user.account.settings", label="Publish in WHOIS/RDAP (consent)",
                     **_contact),
    publish_policy_version=not_personal("the number of a published policy version"),
    publish_changed_at=not_personal(),
    email_verified_at=personal("user.contact.email", label="Contact email verified on",
                               **_contact),
    verification_sent_at=not_personal("when a verification link was mailed, a date"),
    verification_reminded_at=not_personal("when the reminder was mailed, a date"),
    created_at=not_personal(), updated_at=not_personal(),
)

_registry = "the built-in registry's record of a domain; its contacts are declared on their own"
declare(RegistryDomain, name=personal("user.contact.url", label="Domain name at the registry",
                                      **_reg),
        **{f: not_personal(_registry) for f in (
    "id", "roid", "sponsor", "created_at", "expires_at", "updated_at", "statuses",
    "nameservers", "contacts", "auth_code_hash")})
declare(
    RegistryContact,
    id=not_personal(), handle=not_personal("a handle, a number"), roid=not_personal(),
    sponsor=not_personal(), subject=not_personal(),
    data=personal("user.contact", label="Contact data held by the registry", **_contact),
    created_at=not_personal(), updated_at=not_personal(),
)
declare(RegistryMessage, **{f: not_personal("the registry's poll queue for the registrar")
                            for f in ("id", "sponsor", "domain", "text", "created_at",
                                      "acked_at")})

_escrow = "the record of an escrow deposit: dates, counts and file names, nobody's data"
declare(EscrowDeposit, **{f: not_personal(_escrow) for f in (
    "id", "kind", "day", "state", "directory", "since", "snapshot_at", "files", "rows_done",
    "started_at", "finished_at", "error", "disclosure")})

registry.section(Domain, "Domains", order=60)
registry.section(Contact, "Domain contacts", order=61)
registry.corrector(Contact, url_name="domains:contacts", text="Correct")
registry.subscriber_inline(Domain, fk_name="user")
registry.back_office("domains", roles=("support", "compliance", "abuse"))
# Erasure with domains: each sponsored domain is first transferred out or deleted by the
# subscriber's choice; the step ends what is left and keeps the contacts' data 2 years.
registry.erasure_precondition("domains.active_domains")(retention.active_domains)
registry.erasure_step("domains.registrations")(retention.erase_registrations)

# Registration data is ours as registrar for every customer, a reseller's too (policy 10.1).
controllers.registrar_data("domains")
