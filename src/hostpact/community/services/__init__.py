"""Every write of the community app, each one audited transaction (views and admin call these)."""

from hostpact.community.services.forum import (
    MODERATOR_ROLES,
    CommunityError,
    anonymise_post,
    approve_post,
    erase_content,
    is_moderator,
    lock_thread,
    may_see_post,
    pin_thread,
    remove_post,
    reply,
    save_category,
    start_thread,
)
from hostpact.community.services.removals import (
    decide_removal,
    find_target,
    record_from_ticket,
    request_removal,
)
from hostpact.community.services.testimonials import (
    decide_testimonial,
    submit_testimonial,
    withdraw_testimonial,
)

__all__ = [
    "MODERATOR_ROLES", "CommunityError", "anonymise_post", "approve_post", "decide_removal",
    "decide_testimonial", "erase_content", "find_target", "is_moderator", "lock_thread",
    "may_see_post", "pin_thread", "record_from_ticket", "remove_post", "reply", "request_removal",
    "save_category", "start_thread", "submit_testimonial", "withdraw_testimonial",
]
