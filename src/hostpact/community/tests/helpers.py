"""Shared steps of the community tests: a category, a published post, a moderator."""

from hostpact.community import services
from hostpact.community.models import Category
from hostpact.testing.factories import make_staff


def category(slug="general") -> Category:
    return Category.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]


def moderator():
    return make_staff(groups=["abuse"])


def published_post(user, body="Hello from **Pune**.", staff=None):
    """Start a thread as ``user`` and approve its first post; return the post."""
    _, post = services.start_thread(user, category(), "A question", body)
    services.approve_post(post, staff or moderator())
    post.refresh_from_db()
    return post
