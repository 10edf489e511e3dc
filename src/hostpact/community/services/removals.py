"""Requests to remove personal information from posts and testimonials (policy 5.1, C30).

A request comes by the form (which also opens a ticket in the abuse queue, so the desk sees
everything in one place) or by mail to abuse@ (a ticket; staff record it from the ticket
page). Staff remove the content, anonymise it (staff edit the personal information out; the
author reads "former member"), or refuse with a reason from a list plus text; the requester is
told the outcome and the reason, through the ticket's answer when it can be answered, else by
a transactional mail.
"""

from urllib.parse import urlsplit

from django.db import transaction
from django.urls import Resolver404, resolve

from hostpact.community.models import Post, RemovalRequest, State, Testimonial
from hostpact.community.services.forum import (
    CommunityError,
    _require_moderator,
    anonymise_post,
    remove_post,
)
from hostpact.core import audit, clock, mail
from hostpact.core.subjects import create_subject
from hostpact.support import services as support
from hostpact.support.models import Ticket

MAX_WHAT = 5000
_NOT_FOUND = ("We found no post or testimonial at that address. Copy the address of the post "
              "(its \"Link\") or of the testimonial and try again.")


def _parse(url: str) -> tuple[str, int] | None:
    """The (kind, id) a site URL names: a post's link, a thread page's ``#post-<id>``, or the
    testimonials page's ``#testimonial-<id>`` (resolved by the URL conf, never spelled here)."""
    parts = urlsplit((url or "").strip())
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        return None
    if match.namespace != "community":
        return None
    fragment = parts.fragment
    if match.url_name == "post":
        return "post", match.kwargs["pk"]
    if match.url_name == "thread" and fragment.startswith("post-"):
        number = fragment.removeprefix("post-")
        return ("post", int(number)) if number.isdigit() else None
    if match.url_name == "testimonials" and fragment.startswith("testimonial-"):
        number = fragment.removeprefix("testimonial-")
        return ("testimonial", int(number)) if number.isdigit() else None
    return None


def find_target(url: str) -> tuple[str, int]:
    """Return (kind, id) of the public post or testimonial ``url`` points to, or raise."""
    found = _parse(url)
    if found is not None:
        kind, pk = found
        if kind == "post" and Post.objects.filter(pk=pk).exclude(state=State.REMOVED).exists():
            return kind, pk
        if kind == "testimonial" and Testimonial.objects.filter(
                pk=pk, state=Testimonial.Status.APPROVED).exists():
            return kind, pk
    raise CommunityError(_NOT_FOUND, "url")


def _clean_what(what: str) -> str:
    what = (what or "").strip()
    if not what:
        raise CommunityError("Say what personal information you want removed.", "what")
    if len(what) > MAX_WHAT:
        raise CommunityError(f"Keep it under {MAX_WHAT:,} characters.", "what")
    return what


@transaction.atomic
def request_removal(*, user, email: str, url: str, what: str) -> RemovalRequest:
    """Record a request from the form (a subscriber's or a visitor's) and open its ticket."""
    kind, pk = find_target(url)
    what = _clean_what(what)
    if user is not None and user.is_authenticated:
        subject_id, email = user.subject_id, user.email
    else:
        user, subject_id = None, create_subject("visitor").pk
    if not email:
        raise CommunityError("Give the email address we answer you at.", "email")
    req = RemovalRequest.objects.create(subject_id=subject_id, user=user,
                                        requester_email=email, target_kind=kind,
                                        target_id=pk, what=what, created_at=clock.now())
    req.ticket = support.open_ticket(Ticket.Queue.ABUSE, support.Incoming(
        return_address=email, subject_line=f"Removal request {req.reference}",
        body=f"Remove from {kind} {pk} ({url.strip()}):\n\n{what}"),
        channel=Ticket.Channel.WEB, actor=audit.actor_of(user) if user else "anonymous")
    req.save(update_fields=["ticket"])
    audit.record(audit.actor_of(user) if user else "anonymous", "community.removal.request",
                 subject_id, ["requester_email", "what"], req.reference)
    return req


@transaction.atomic
def record_from_ticket(ticket: Ticket, staff, url: str, what: str) -> RemovalRequest:
    """Record a removal request that came by mail as ``ticket``, linked to it."""
    actor = _require_moderator(staff)
    if not support.may_handle(staff, ticket):
        raise PermissionError(f"only {ticket.queue} staff may handle {ticket.reference}")
    kind, pk = find_target(url)
    what = _clean_what(what)
    if not ticket.return_address:
        raise CommunityError(f"{ticket.reference} has no address to answer.")
    subject_id = ticket.subject_id if ticket.user_id else create_subject("visitor").pk
    req = RemovalRequest.objects.create(
        subject_id=subject_id, user=ticket.user, requester_email=ticket.return_address,
        target_kind=kind, target_id=pk, what=what, created_at=clock.now(), ticket=ticket)
    audit.record(actor, "community.removal.record", subject_id, ["requester_email", "what"],
                 f"{req.reference} from {ticket.reference}")
    return req


def _apply(req: RemovalRequest, staff, outcome: str, body: str) -> None:
    if req.target_kind == "post":
        post = Post.objects.get(pk=req.target_id)
        if outcome == "removed":
            remove_post(post, staff)
        else:
            anonymise_post(post, staff, body)
        return
    item = Testimonial.objects.select_for_update().get(pk=req.target_id)
    if outcome == "removed":
        item.state, item.text = Testimonial.Status.WITHDRAWN, ""
    else:
        item.text = (body or "").strip() or item.text
        item.display_name, item.user, item.subject = "Former member", None, None
    item.save()


def _message(req: RemovalRequest, outcome: str) -> str:
    what = {"post": "forum post"}.get(req.target_kind, req.target_kind)
    if outcome == "removed":
        return f"We removed the {what} you asked about ({req.reference}); it is no longer shown."
    if outcome == "anonymised":
        return (f"We anonymised the {what} you asked about ({req.reference}): the personal "
                "information you named was taken out, and its author is shown as "
                "\"former member\".")
    text = (f"We did not remove the {what} you asked about ({req.reference}).\n\n"
            f"Reason: {req.get_reason_display()}.")
    if req.reason_text:
        text += f"\n\n{req.reason_text}"
    return text + ("\n\nIf you disagree, you may answer this message or complain to the data "
                   "protection authority (privacy policy 5.1).")


def _tell(req: RemovalRequest, staff, outcome: str) -> None:
    body = _message(req, outcome)
    if req.ticket_id:
        try:
            support.answer_ticket(req.ticket, staff, body)
            return
        except (support.SupportError, PermissionError):
            pass  # closed, anonymised or not this staff's queue: mail them directly
    mail.queue_mail(req.subject_id, req.requester_email,
                    f"Your removal request {req.reference}", body, "transactional")


@transaction.atomic
def decide_removal(req: RemovalRequest, staff, outcome: str, *, body: str = "",
                   reason: str = "", reason_text: str = "") -> RemovalRequest:
    """Remove, anonymise (``body``: the post as staff edited it) or refuse (``reason`` from
    the list, ``reason_text`` required for "other"); tell the requester."""
    actor = _require_moderator(staff)
    req = RemovalRequest.objects.select_for_update().get(pk=req.pk)
    if req.status != RemovalRequest.Status.OPEN:
        raise CommunityError(f"{req.reference} was already decided.")
    reason_text = (reason_text or "").strip()
    if outcome == "refused":
        if reason not in RemovalRequest.Reason.values:
            raise CommunityError("Choose the reason for refusing.", "reason")
        if reason == RemovalRequest.Reason.OTHER and not reason_text:
            raise CommunityError("Explain the reason.", "reason_text")
        req.reason, req.reason_text = reason, reason_text
    elif outcome in ("removed", "anonymised"):
        if outcome == "anonymised" and req.target_kind == "post" and not body.strip():
            raise CommunityError("Give the post's text with the personal information taken "
                                 "out.", "body")
        _apply(req, staff, outcome, body)
    else:
        raise CommunityError("Choose remove, anonymise or refuse.")
    req.status, req.decided_at, req.decided_by = outcome, clock.now(), actor
    req.save(update_fields=["status", "reason", "reason_text", "decided_at", "decided_by"])
    _tell(req, staff, outcome)
    audit.record(actor, f"community.removal.{outcome}", req.subject_id, [], req.reference)
    return req
