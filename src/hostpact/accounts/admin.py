"""Back office for users: the subscriber page with its profile and cards, filtered by role."""

from urllib.parse import urlencode

from django.contrib import admin
from django.urls import reverse

from hostpact.accounts.models import Profile, User
from hostpact.billing.models import BillingAddress, PaymentMethod
from hostpact.privacy.admin_base import DataMapAdmin, DataMapInline


class ProfileInline(DataMapInline):
    model = Profile


class BillingAddressInline(DataMapInline):
    model = BillingAddress


class PaymentMethodInline(DataMapInline):
    model = PaymentMethod
    fk_name = "user"


# Forms staff open for one subscriber, linked from the subscriber's page with the customer ID
# filled in: (app label, model, link text). Each shows only to roles its admin lets add.
SUBSCRIBER_ACTIONS = [
    ("rights", "childreport", "Flag as a child's account"),
    ("rights", "legalhold", "Place a legal hold"),
]


@admin.register(User)
class UserAdmin(DataMapAdmin):
    inlines = [ProfileInline, BillingAddressInline, PaymentMethodInline]
    ordering = ["-id"]

    def subscriber_actions(self, request, user) -> list[tuple[str, str]]:
        """(url, text) of the privacy forms this viewer may open for ``user``."""
        if user is None or user.is_staff:
            return []
        registry = {(m._meta.app_label, m._meta.model_name): a
                    for m, a in self.admin_site._registry.items()}
        query = urlencode({"customer_id": user.customer_id})
        return [(f"{reverse(f'admin:{app}_{model}_add')}?{query}", text)
                for app, model, text in SUBSCRIBER_ACTIONS
                if (app, model) in registry and registry[(app, model)].has_add_permission(request)]

    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):
        context["subscriber_actions"] = self.subscriber_actions(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
