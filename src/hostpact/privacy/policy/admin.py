"""Back office of the policy app: publishing versions, reading inquiries (compliance role).

Versions are published through ``services.publish_version`` and never edited afterwards.
Inquiries use ``DataMapAdmin``: the list shows ids, status and dates only, and opening one is a
staff read written to the audit ledger.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError

from hostpact.core import audit
from hostpact.privacy import roles
from hostpact.privacy.admin_base import DataMapAdmin, ReadOnlyAdmin
from hostpact.privacy.policy import services
from hostpact.privacy.policy.forms import PublishVersionForm
from hostpact.privacy.policy.models import Inquiry, PolicyVersion


def _compliance(user) -> bool:
    return roles.has_role(user, "compliance")


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    """A published text stays what subscribers were told: versions are added, never edited."""

    roles_allowed = ("compliance",)
    form = PublishVersionForm
    list_display = ("number", "title", "effective_at", "published_at", "material",
                    "notices_queued", "notices_total")
    ordering = ("-number",)
    readonly_fields = ("number", "published_at", "published_by", "notices_total",
                       "notices_queued", "notices_finished_at")

    def has_add_permission(self, request, *args):
        return self.may_view(request)

    def get_fields(self, request, obj=None):
        if obj is None:
            return PublishVersionForm.Meta.fields
        return ["number", "title", "effective_at", "published_at", "published_by", "material",
                "new_uses", "summary", "text", "notices_total", "notices_queued",
                "notices_finished_at"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            version = services.publish_version(
                title=data["title"], text=data["text"], effective_at=data["effective_at"],
                material=data["material"], new_uses=data["new_uses"],
                summary=data.get("summary", ""), actor=audit.actor_of(request.user))
        except ValidationError as exc:  # raced with another publication; nothing written
            raise ValidationError(exc.messages) from exc
        for f in PolicyVersion._meta.concrete_fields:
            setattr(obj, f.attname, getattr(version, f.attname))
        obj._state.adding = False


@admin.register(Inquiry)
class InquiryAdmin(DataMapAdmin):
    def has_module_permission(self, request):
        return _compliance(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return _compliance(request.user) or super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _compliance(request.user) or super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "created_at"]

    def object_ref(self, obj) -> str:
        return f"inquiry:{obj.pk}"
