"""The registry of the back office's home-page widgets, so the home page imports no app.

The back office's home page (the admin index, made by the analytics app) shows one panel per
registered widget above Django's list of apps. Each app registers its own widgets from its
``AppConfig.ready()``::

    from hostpact.core.dashboard import register_widget

    register_widget("billing.revenue", title="New orders and revenue (30 days)",
                    template="billing/widgets/revenue.html", context=revenue_context,
                    order=30, roles=("billing", "compliance"))

``context(request)`` returns the template's context (counts, never a person's data: shown
counts of people go through ``hostpact.privacy.aggregates.suppress``); it runs on every view
of the home page, so it should read small aggregate tables or a few indexed counts.
``widgets_for(request)`` returns the widgets the request's staff member may see, rendered.
A widget whose context or template fails is logged and shown as unavailable: one broken
widget never takes the back office's home page down.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.html import format_html

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Widget:
    key: str
    title: str
    template: str
    context: Callable
    order: int = 100
    roles: tuple[str, ...] | None = None  # None: any active staff member


_widgets: dict[str, Widget] = {}


def register_widget(key: str, *, title: str, template: str, context: Callable,
                    order: int = 100, roles: Iterable[str] | None = None) -> Widget:
    """Register (or replace, by ``key``) a widget of the back office's home page.

    ``key``: a stable name ("app.what"); ``title``: the panel's heading; ``template``: a
    template rendered with ``context(request)`` plus ``widget`` and ``request``; ``order``:
    smaller first; ``roles``: the staff role names (groups) that see it, superusers always,
    None for every active staff member.
    """
    widget = Widget(key, title, template, context, order,
                    None if roles is None else tuple(roles))
    _widgets[key] = widget
    return widget


def unregister_widget(key: str) -> None:
    """Remove the widget ``key`` if registered (tests)."""
    _widgets.pop(key, None)


def widgets() -> list[Widget]:
    """Return every registered widget in display order."""
    return sorted(_widgets.values(), key=lambda w: (w.order, w.key))


def may_see(user, widget: Widget) -> bool:
    """Return True if ``user`` is active staff and ``widget``'s roles let them see it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not (user.is_active and user.is_staff):
        return False
    if widget.roles is None or user.is_superuser:
        return True
    return user.groups.filter(name__in=widget.roles).exists()


def render(widget: Widget, request) -> str:
    """Return ``widget`` rendered for ``request``; a failure is logged and shown as a note."""
    try:
        context = dict(widget.context(request))
        context.update(widget=widget, request=request)
        return render_to_string(widget.template, context, request=request)
    except Exception:  # one broken widget must not take the home page down
        log.exception("dashboard widget %s failed", widget.key)
        return format_html('<p class="widget-error">{} is unavailable right now.</p>',
                           widget.title)


def widgets_for(request) -> list[tuple[Widget, str]]:
    """Return ``(widget, html)`` for each widget the request's user may see, in order."""
    user = getattr(request, "user", None)
    return [(w, render(w, request)) for w in widgets() if may_see(user, w)]
