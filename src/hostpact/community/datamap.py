"""Data-map declarations of the community app, and its registrations with the spine.

Posts, thread titles and testimonials are public personal data (``user.content.public``): the
subscriber published them, by their choice, under the warning that they are public (policy
5.1). They are stored as written, unencrypted because the world reads them anyway. Erasure
anonymises posts and thread titles (the text stays, as others may have quoted or answered it;
author and subject are cleared, it reads "former member") and withdraws testimonials (text and
name cleared): the ``community.content`` step. A removal request is its requester's own: the
address (encrypted, class ``support``, like a ticket) and what they asked removed.
"""

from hostpact.community.models import Category, Post, RemovalRequest, Testimonial, Thread
from hostpact.community.services import erase_content
from hostpact.privacy import registry
from hostpact.privacy.registry import Erasure, declare, not_personal, personal

_public = dict(purposes=("essential.service",), retention="account",
               erasure=Erasure.ANONYMISE)
_author = "the author's account; cleared when the post is anonymised"
_subject = "the author's subject; cleared when anonymised"

declare(Category, id=not_personal(), name=not_personal("written by staff"),
        slug=not_personal(), description=not_personal("written by staff"),
        order=not_personal())
declare(
    Thread, id=not_personal(), category=not_personal(),
    title=personal("user.content.public", label="Forum thread title", **_public),
    author=not_personal(_author), subject=not_personal(_subject),
    created_at=not_personal(), state=not_personal("moderation state"),
    pinned=not_personal(), locked=not_personal(),
)
declare(
    Post, id=not_personal(), thread=not_personal(),
    author=not_personal(_author), subject=not_personal(_subject),
    body=personal("user.content.public", label="Forum post", **_public),
    state=not_personal("moderation state"), anonymised=not_personal(),
    created_at=not_personal(), edited_at=not_personal(),
)
declare(
    Testimonial, id=not_personal(), user=not_personal("the author's account"),
    subject=not_personal("the author's subject"),
    display_name=personal("user.name", label="Testimonial: the name you chose", **_public),
    text=personal("user.content.public", label="Testimonial", **_public),
    state=not_personal(), created_at=not_personal(), approved_at=not_personal(),
)
_theirs = dict(subject="visitor",
               purposes=("essential.service.operations.support",
                         "essential.service.notifications.email"),
               retention="support", erasure=Erasure.SHRED)
declare(
    RemovalRequest, id=not_personal(), subject=not_personal("the requester's subject"),
    user=not_personal("the requester's account, if logged in"),
    requester_email=personal("user.contact.email", label="Removal request: your address",
                             **_theirs),
    target_kind=not_personal(), target_id=not_personal("a post's or testimonial's number"),
    what=personal("user.content.private", label="Removal request: what to remove",
                  **_theirs),
    status=not_personal(), reason=not_personal("a reason code from a fixed list"),
    reason_text=not_personal("staff's explanation of a refusal"),
    created_at=not_personal(), decided_at=not_personal(),
    decided_by=not_personal("a staff id"), ticket=not_personal("the abuse desk's ticket"),
)

registry.section(Thread, "Forum threads you started", order=120)
registry.section(Post, "Your forum posts", order=121)
registry.section(Testimonial, "Your testimonials", order=122)
registry.section(RemovalRequest, "Your requests to remove community content", order=123)
registry.back_office("community", roles=("abuse", "support", "compliance"))
registry.erasure_step("community.content")(erase_content)
