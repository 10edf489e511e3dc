"""Testimonials: a subscriber submits one under the name they choose; staff approve or
reject it; the subscriber may withdraw it at any time (then it is no longer shown anywhere)."""

from django.db import transaction

from hostpact.community.models import Testimonial
from hostpact.community.services.forum import CommunityError, _require_moderator
from hostpact.core import audit, clock

MAX_TEXT = 2000
MAX_NAME = 80


@transaction.atomic
def submit_testimonial(user, display_name: str, text: str) -> Testimonial:
    """Store a testimonial for staff to review, under the name the subscriber chose."""
    display_name, text = (display_name or "").strip(), (text or "").strip()
    if not display_name:
        raise CommunityError("Choose the name shown with it (for example \"Asha, Pune\" or "
                             "your initials).", "display_name")
    if len(display_name) > MAX_NAME:
        raise CommunityError(f"Keep the name under {MAX_NAME} characters.", "display_name")
    if not text:
        raise CommunityError("Write your testimonial.", "text")
    if len(text) > MAX_TEXT:
        raise CommunityError(f"Keep it under {MAX_TEXT:,} characters.", "text")
    item = Testimonial.objects.create(user=user, subject_id=user.subject_id,
                                      display_name=display_name, text=text,
                                      created_at=clock.now())
    audit.record(audit.actor_of(user), "community.testimonial.submit", user.subject_id,
                 ["display_name", "text"], str(item))
    return item


@transaction.atomic
def withdraw_testimonial(user, pk: int) -> Testimonial:
    """Withdraw the subscriber's own testimonial; another's answers DoesNotExist (404)."""
    item = Testimonial.objects.select_for_update().get(pk=pk, user=user)
    item.state = Testimonial.Status.WITHDRAWN
    item.save(update_fields=["state"])
    audit.record(audit.actor_of(user), "community.testimonial.withdraw", item.subject_id, [],
                 str(item))
    return item


@transaction.atomic
def decide_testimonial(item: Testimonial, staff, approve: bool) -> Testimonial:
    """Approve (publish) or reject a submitted testimonial."""
    actor = _require_moderator(staff)
    item = Testimonial.objects.select_for_update().get(pk=item.pk)
    if item.state != Testimonial.Status.SUBMITTED:
        raise CommunityError("Only a submitted testimonial can be approved or rejected.")
    if approve:
        item.state, item.approved_at = Testimonial.Status.APPROVED, clock.now()
    else:
        item.state = Testimonial.Status.REJECTED
    item.save(update_fields=["state", "approved_at"])
    audit.record(actor, "community.testimonial." + ("approve" if approve else "reject"),
                 item.subject_id, [], str(item))
    return item
