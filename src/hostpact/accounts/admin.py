"""Back office for users: the subscriber page with the rows apps register for it, filtered by role.

The inlines come from ``registry.subscriber_inlines()`` (the profile from accounts, billing's
address and cards from billing), so this page knows no other app. They are built on first use:
the datamaps that register them load when the apps are ready, after this module.
"""

from urllib.parse import urlencode

from django.contrib import admin
from django.urls import reverse

from hostpact.accounts.models import User
from hostpact.privacy import registry
from hostpact.privacy.admin_base import DataMapAdmin, DataMapInline

# Forms staff open for one subscriber, linked from the subscriber's page with the customer ID
# filled in: (app label, model, link text). Each shows only to roles its admin lets add.
SUBSCRIBER_ACTIONS = [
    ("rights", "childreport", "Flag as a child's account"),
    ("rights", "legalhold", "Place a legal hold"),
]

_inline_classes: dict[type, type[DataMapInline]] = {}


def inline_class(entry: registry.Inline) -> type[DataMapInline]:
    """Return the ``DataMapInline`` of one registered entry (one per model), made once."""
    found = _inline_classes.get(entry.model)
    if found is None:
        found = _inline_classes[entry.model] = type(
            f"{entry.model.__name__}Inline", (DataMapInline,),
            {"model": entry.model, "__module__": __name__, **entry.options})
    return found


@admin.register(User)
class UserAdmin(DataMapAdmin):
    ordering = ["-id"]

    def get_inlines(self, request, obj):
        return [inline_class(entry) for entry in registry.subscriber_inlines()]

    def subscriber_actions(self, request, user) -> list[tuple[str, str]]:
        """(url, text) of the privacy forms this viewer may open for ``user``."""
        if user is None or user.is_staff:
            return []
        registered = {(m._meta.app_label, m._meta.model_name): a
                      for m, a in self.admin_site._registry.items()}
        query = urlencode({"customer_id": user.customer_id})
        return [(f"{reverse(f'admin:{app}_{model}_add')}?{query}", text)
                for app, model, text in SUBSCRIBER_ACTIONS
                if (app, model) in registered
                and registered[(app, model)].has_add_permission(request)]

    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):
        context["subscriber_actions"] = self.subscriber_actions(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
