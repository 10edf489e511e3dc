"""Template tags of the back office's home page."""

from django import template

from hostpact.core.dashboard import widgets_for

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_widgets(context):
    """Return ``(widget, html)`` for each home-page widget the viewer may see."""
    request = context.get("request")
    return widgets_for(request) if request is not None else []
