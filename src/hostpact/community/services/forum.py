"""Threads and posts: writing them, holding them for moderation, and staff's moderation.

Moderation rule (documented in the docs): a post is held until staff approve it when it is
its author's first post (nothing of theirs was approved yet) or when it carries a link (spam
and doxxing links are the common abuse). A held or removed post is seen only by its author
(marked "awaiting moderation") and staff. Posting is rate-limited per account.
"""

import re

from django.conf import settings
from django.db import transaction

from hostpact.community.models import Post, State, Testimonial, Thread
from hostpact.core import audit, clock, ratelimit
from hostpact.privacy import roles

MODERATOR_ROLES = ("abuse", "support", "compliance")
MAX_TITLE = 200
MAX_BODY = 20_000
_LINK = re.compile(r"https?://|www\.|\]\(|<[a-z]+:", re.IGNORECASE)


class CommunityError(Exception):
    """A community step refused; ``field`` names the form field at fault. Nothing changed."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def is_moderator(user) -> bool:
    """Return True if ``user`` is staff who moderate (abuse, support, compliance, superuser)."""
    return roles.has_role(user, *MODERATOR_ROLES)


def may_see_post(user, post: Post) -> bool:
    """A visible post is everyone's; a held or removed one only its author's and staff's."""
    if post.state == State.VISIBLE and post.thread.state == State.VISIBLE:
        return True
    if is_moderator(user):
        return True
    return post.state == State.HELD and bool(user and user.is_authenticated
                                             and post.author_id == user.pk)


def _require_moderator(user) -> str:
    if not is_moderator(user):
        raise PermissionError("only abuse, support or compliance staff moderate the forums")
    return audit.actor_of(user)


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise CommunityError("Write your post.", "body")
    if len(body) > MAX_BODY:
        raise CommunityError(f"Keep your post under {MAX_BODY:,} characters.", "body")
    return body


def _check_rate(user) -> None:
    limit = settings.COMMUNITY_POSTS_PER_HOUR
    if ratelimit.hit("community-post", str(user.pk), 3600) > limit:
        raise CommunityError(f"You have posted {limit} times in the last hour, the "
                             "most we allow; please wait an hour before posting again.")


def _held(user, body: str) -> bool:
    first = not Post.objects.filter(author=user, state=State.VISIBLE).exists()
    return first or bool(_LINK.search(body))


def _require_subscriber(user) -> None:
    if not (user and user.is_authenticated and user.is_active and not user.is_staff):
        raise PermissionError("only subscribers post in the forums")


@transaction.atomic
def start_thread(user, category, title: str, body: str) -> tuple[Thread, Post]:
    """Start a thread in ``category`` with its first post; held if the rule says so."""
    _require_subscriber(user)
    title = (title or "").strip()
    if not title:
        raise CommunityError("Give the thread a title.", "title")
    if len(title) > MAX_TITLE:
        raise CommunityError(f"Keep the title under {MAX_TITLE} characters.", "title")
    body = _clean_body(body)
    _check_rate(user)
    state = State.HELD if _held(user, body) else State.VISIBLE
    now = clock.now()
    thread = Thread.objects.create(category=category, title=title, author=user,
                                   subject_id=user.subject_id, created_at=now, state=state)
    post = Post.objects.create(thread=thread, author=user, subject_id=user.subject_id,
                               body=body, state=state, created_at=now)
    audit.record(audit.actor_of(user), "community.thread.start", user.subject_id,
                 ["title", "body"], f"post {post.pk}")
    return thread, post


@transaction.atomic
def reply(user, thread: Thread, body: str) -> Post:
    """Add a post to ``thread`` (not locked, not removed); held if the rule says so."""
    _require_subscriber(user)
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.locked or thread.state == State.REMOVED:
        raise CommunityError("This thread is closed to new posts.")
    body = _clean_body(body)
    _check_rate(user)
    state = State.HELD if _held(user, body) else State.VISIBLE
    post = Post.objects.create(thread=thread, author=user, subject_id=user.subject_id,
                               body=body, state=state, created_at=clock.now())
    audit.record(audit.actor_of(user), "community.post.write", user.subject_id, ["body"],
                 f"post {post.pk}")
    return post


def _first(post: Post) -> bool:
    return not post.thread.posts.filter(pk__lt=post.pk).exists()


@transaction.atomic
def approve_post(post: Post, staff) -> Post:
    """Publish a held post (and its thread, if it was the thread's first)."""
    actor = _require_moderator(staff)
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    if post.state != State.HELD:
        raise CommunityError("Only a post awaiting moderation can be approved.")
    post.state = State.VISIBLE
    post.save(update_fields=["state"])
    if post.thread.state == State.HELD and _first(post):
        post.thread.state = State.VISIBLE
        post.thread.save(update_fields=["state"])
    audit.record(actor, "community.post.approve", post.subject_id, [], f"post {post.pk}")
    return post


@transaction.atomic
def remove_post(post: Post, staff, *, clear_body: bool = True) -> Post:
    """Take a post down (its body cleared); a thread's first post takes the thread with it."""
    actor = _require_moderator(staff)
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    post.state = State.REMOVED
    fields = ["state"]
    if clear_body:
        post.body, post.edited_at = "", clock.now()
        fields += ["body", "edited_at"]
    post.save(update_fields=fields)
    if _first(post):
        post.thread.state = State.REMOVED
        post.thread.save(update_fields=["state"])
    audit.record(actor, "community.post.remove", post.subject_id, ["body"], f"post {post.pk}")
    return post


@transaction.atomic
def anonymise_post(post: Post, staff, body: str) -> Post:
    """Keep the post with ``body`` (staff's edit, personal information taken out), its author
    shown as "former member" and the link to the author cleared."""
    actor = _require_moderator(staff)
    post = Post.objects.select_for_update().get(pk=post.pk)
    previous = post.subject_id
    post.body, post.author, post.subject = _clean_body(body), None, None
    post.anonymised, post.edited_at = True, clock.now()
    post.save(update_fields=["body", "author", "subject", "anonymised", "edited_at"])
    audit.record(actor, "community.post.anonymise", previous, ["body"], f"post {post.pk}")
    return post


@transaction.atomic
def lock_thread(thread: Thread, staff, *, locked: bool = True) -> Thread:
    """Close (or reopen) ``thread`` to new posts."""
    actor = _require_moderator(staff)
    Thread.objects.filter(pk=thread.pk).update(locked=locked)
    thread.locked = locked
    audit.record(actor, "community.thread.lock" if locked else "community.thread.unlock",
                 None, [], f"thread {thread.pk}")
    return thread


def erase_content(ctx) -> None:
    """The erasure step: anonymise the subscriber's posts and threads (the text stays, as
    others may quote or answer it; the author is cleared, shown as "former member") and
    withdraw their testimonials (text and chosen name cleared)."""
    posts = Post.objects.filter(subject_id=ctx.subject_id).update(
        author=None, subject=None, anonymised=True)
    Thread.objects.filter(subject_id=ctx.subject_id).update(author=None, subject=None)
    withdrawn = Testimonial.objects.filter(subject_id=ctx.subject_id).update(
        state=Testimonial.Status.WITHDRAWN, text="", display_name="", user=None)
    ctx.add("community_posts_anonymised", posts)
    ctx.add("community_testimonials_withdrawn", withdrawn)
    ctx.fields.extend(["author", "text", "display_name"])


@transaction.atomic
def save_category(staff, category) -> None:
    """Create or change a forum category (staff's wording, no one's data)."""
    actor = _require_moderator(staff)
    category.save()
    audit.record(actor, "community.category.save", None, [], f"category {category.pk}")


@transaction.atomic
def pin_thread(thread: Thread, staff, *, pinned: bool = True) -> Thread:
    """Keep (or stop keeping) ``thread`` at the top of its category."""
    actor = _require_moderator(staff)
    Thread.objects.filter(pk=thread.pk).update(pinned=pinned)
    thread.pinned = pinned
    audit.record(actor, "community.thread.pin" if pinned else "community.thread.unpin",
                 None, [], f"thread {thread.pk}")
    return thread
