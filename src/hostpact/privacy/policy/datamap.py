"""Data-map declarations of the policy app's models."""

from hostpact.privacy.policy.models import Inquiry, PolicyNotice, PolicyVersion, UseOptOut
from hostpact.privacy.registry import Erasure, declare, not_personal, personal

_inquiry = ("essential.service.operations.support", "essential.service.notifications.email")

declare(
    PolicyVersion,
    id=not_personal(), number=not_personal(), title=not_personal("published text"),
    text=not_personal("published text"), effective_at=not_personal(),
    published_at=not_personal(), published_by=not_personal("staff actor id, never a name"),
    material=not_personal(), new_uses=not_personal("data use keys"),
    summary=not_personal("published text"), notices_total=not_personal(),
    notices_queued=not_personal(), notices_finished_at=not_personal(),
)
declare(
    PolicyNotice,
    id=not_personal(), version=not_personal(), subject=not_personal(),
    message=not_personal("the outbox row holds the mail, under the subject's key"),
    created_at=not_personal(),
)
declare(
    UseOptOut,
    id=not_personal(), subject=not_personal(), version=not_personal(),
    use=personal("user.privacy_preferences", purposes=("functional.storage.privacy_preferences",),
                 label="Use of your data you opted out of"),
    active=not_personal("whether the opt-out stands; meaningless without the use"),
    changed_at=not_personal(),
)
declare(
    Inquiry,
    id=not_personal(), subject=not_personal(), version=not_personal(),
    name=personal("user.name", subject="visitor", purposes=_inquiry, label="Name"),
    email=personal("user.contact.email", subject="visitor", purposes=_inquiry,
                   erasure=Erasure.SHRED, label="Email address"),
    question=personal("user.content.private", subject="visitor", purposes=_inquiry,
                      label="Question about the privacy policy"),
    status=not_personal(), created_at=not_personal(), answered_at=not_personal(),
)
