"""Data-map declarations of core's models and of the third-party models hostpact installs.

Core sits below the privacy layer and cannot declare its own fields, so privacy declares them
here, beside its own (it has no models of its own).
"""

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from hostpact.core.models import AuditEntry, Counter, DataKey, OutboxMessage, Realm, Subject
from hostpact.privacy import registry
from hostpact.privacy.registry import Erasure, declare, not_personal, personal

declare(Subject, id=not_personal("random identifier; the identity lives in other rows"),
        kind=not_personal(), created_at=not_personal(),
        realm=not_personal("whose customer the subject is: ours or a reseller's"))
declare(Realm, id=not_personal(), name=not_personal("a business's name"),
        created_at=not_personal())
declare(DataKey, id=not_personal(), subject=not_personal(), retention_class=not_personal(),
        master_key_id=not_personal(), wrapped=not_personal("key material, no data"),
        shredded_at=not_personal())
declare(
    AuditEntry,
    **{n: not_personal("the ledger holds ids and field names, never values")
       for n in ["id", "seq", "at", "actor", "action", "subject_id", "object_ref", "fields",
                 "prev_hash", "hash"]},
)
declare(Counter, id=not_personal(), name=not_personal("anonymous counters and keyed hashes"),
        value=not_personal(), updated_at=not_personal())

declare(ContentType, id=not_personal(), app_label=not_personal(), model=not_personal())
declare(Permission, id=not_personal(), name=not_personal(), content_type=not_personal(),
        codename=not_personal())
declare(Group, id=not_personal(), name=not_personal(), permissions=not_personal())
declare(Group.permissions.through, id=not_personal(), group=not_personal(),
        permission=not_personal())
declare(
    LogEntry, id=not_personal(), action_time=not_personal(), user=not_personal("staff id"),
    content_type=not_personal(), object_id=not_personal(),
    object_repr=not_personal("a customer id, never a name (see User.__str__)"),
    action_flag=not_personal(), change_message=not_personal("field names only"),
)
declare(
    Session,
    session_key=personal("user.authorization", purposes=("essential.service.authentication",),
                         retention="security", erasure=Erasure.DELETE, label="Session"),
    session_data=personal("user.authorization", purposes=("essential.service.authentication",),
                          retention="security", erasure=Erasure.DELETE, label="Session data"),
    expire_date=not_personal(),
)
_totp = dict(purposes=("essential.service.authentication",), erasure=Erasure.DELETE)
declare(
    TOTPDevice, id=not_personal(), user=not_personal(), name=not_personal(),
    confirmed=not_personal(), key=personal("user.authorization.credentials.totp", **_totp),
    step=not_personal(), t0=not_personal(), digits=not_personal(), tolerance=not_personal(),
    drift=not_personal(), last_t=not_personal(), throttling_failure_timestamp=not_personal(),
    throttling_failure_count=not_personal(), created_at=not_personal(),
    last_used_at=not_personal(),
)
declare(
    DBTaskResult,
    **{f.name: not_personal("task arguments are ids only")
       for f in DBTaskResult._meta.concrete_fields},
)
declare(
    OutboxMessage, id=not_personal(), subject=not_personal(), category=not_personal(),
    to_addr=personal("user.contact.email", purposes=("essential.service.notifications.email",),
                     erasure=Erasure.DELETE, label="Email address (outgoing mail)"),
    subject_line=personal("user.contact", purposes=("essential.service.notifications.email",),
                          erasure=Erasure.DELETE, label="Outgoing mail subject"),
    body=personal("user.contact", purposes=("essential.service.notifications.email",),
                  erasure=Erasure.DELETE, label="Outgoing mail text"),
    html=personal("user.contact", purposes=("essential.service.notifications.email",),
                  erasure=Erasure.DELETE, label="Outgoing mail text (HTML)"),
    headers=not_personal("tokens in headers carry signed ids only"),
    from_addr=not_personal("the platform's own sending address"),
    skip_reason=not_personal(),
    status=not_personal(), attempts=not_personal(), created_at=not_personal(),
    claimed_at=not_personal(), sent_at=not_personal(), message_id=not_personal(),
)

registry.section(OutboxMessage, "Email we sent you")
# The audit ledger and the outbox are compliance's to read.
registry.back_office("core", roles=("compliance",))
registry.back_office("privacy", roles=("compliance",))
