"""``{% testimonials 3 %}``: the newest approved testimonials, for the storefront home."""

from django import template

from hostpact.community.models import Testimonial

register = template.Library()


@register.inclusion_tag("community/_testimonials.html")
def testimonials(count: int = 3):
    """Render up to ``count`` approved testimonials, each with the name its author chose."""
    items = Testimonial.objects.filter(state=Testimonial.Status.APPROVED).order_by(
        "-approved_at", "-pk")[:count]
    return {"testimonials": list(items)}


@register.filter
def markdown(text: str):
    """Render a post's Markdown as sanitised HTML (markdown-it, then nh3)."""
    from django.utils.safestring import mark_safe

    from hostpact.core.markdown import render_html

    return mark_safe(render_html(text or "", heading_offset=2))  # noqa: S308 - nh3-cleaned


@register.filter
def member_name(subject_id) -> str:
    """Return the author's public pseudonym ("Member 3f9a1c"): stable across their posts, a
    keyed hash that does not reveal their account number or name."""
    from hostpact.core.crypto import blind_index

    return f"Member {blind_index('community-member', str(subject_id))[:6]}"
