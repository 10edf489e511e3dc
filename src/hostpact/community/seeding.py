"""The demo forum of ``bootstrap_demo``: three categories, a welcome thread and a testimonial,
written through the community's services like any staff member's and subscriber's."""

from hostpact.community import services
from hostpact.community.models import Category, State, Testimonial

CATEGORIES = [
    ("getting-started", "Getting started", "New to hosting? Ask anything here."),
    ("hosting", "Web hosting", "Sites, databases, email and performance."),
    ("domains", "Domains", "Registering, transferring and pointing domain names."),
]


def ensure_demo_forum(staff, subscriber) -> bool:
    """Create the demo categories, a welcome thread and an approved testimonial once; return
    whether anything was created."""
    if Category.objects.exists():
        return False
    for order, (slug, name, description) in enumerate(CATEGORIES):
        services.save_category(staff, Category(slug=slug, name=name, description=description,
                                               order=order))
    welcome = Category.objects.get(slug="getting-started")
    _, post = services.start_thread(subscriber, welcome, "Hello from a new customer",
                                    "I moved my *small shop* here last week. Any tips for "
                                    "setting up email on my own domain?")
    if post.state == State.HELD:
        services.approve_post(post, staff)
    if not Testimonial.objects.filter(subject=subscriber.subject).exists():
        item = services.submit_testimonial(subscriber, "Asha, Pune",
                                           "Moving my shop took an afternoon, and support "
                                           "answered within the hour.")
        services.decide_testimonial(item, staff, approve=True)
    return True
