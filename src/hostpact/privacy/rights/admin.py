"""Back office of the rights engine: erasure jobs, children's reports, legal holds.

Pages show ids, states, counts and legal bases only, with one exception: a legal hold's page,
open to compliance alone, shows the values of the record it holds (decrypted under the hold's
key; opening it is a logged read). Flagging a child's account and placing a hold go through
``services`` (with their role checks and audit events); the add page of each is the form that
does it. Erasure jobs are read-only: they are made by requests, not by hand.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from hostpact.core import audit
from hostpact.privacy.admin_base import ReadOnlyAdmin
from hostpact.privacy.rights import forms, holds, services
from hostpact.privacy.rights.models import ChildReport, ErasureJob, LegalHold, Tombstone


class _RoleAdmin(ReadOnlyAdmin):
    """Open to the staff roles named in ``roles_allowed`` (and superusers)."""

    roles_allowed: tuple[str, ...] = ("compliance",)

    def _form_page(self, request, form, title: str):
        context = {**self.admin_site.each_context(request), "form": form, "title": title,
                   "opts": self.model._meta}
        return TemplateResponse(request, "admin_form.html", context,
                                status=400 if form.errors else 200)


def _from_query(request) -> dict:
    """The customer ID a link from the subscriber's page fills in (``?customer_id=``)."""
    return {"customer_id": request.GET.get("customer_id", "")[:20]}


@admin.register(ErasureJob)
class ErasureJobAdmin(_RoleAdmin):
    roles_allowed = ("compliance", "support")
    actions = None
    list_display = ["request_id", "state", "reason", "created_at", "finished_at", "attempts"]
    list_filter = ["state", "reason"]
    fields = ["request_id", "subject", "reason", "actor", "state", "hold_reason", "error",
              "attempts", "steps_done", "counts", "kept", "created_at", "updated_at",
              "finished_at", "remnants_purged_at"]
    readonly_fields = fields


@admin.register(Tombstone)
class TombstoneAdmin(_RoleAdmin):
    actions = None
    list_display = ["id", "erased_on", "reason", "counts"]
    list_filter = ["reason"]
    readonly_fields = ["id", "erased_on", "reason", "counts"]


@admin.register(ChildReport)
class ChildReportAdmin(_RoleAdmin):
    """Children's accounts found (C34): the add page flags one; each page is its report."""

    roles_allowed = services.CHILD_ROLES
    actions = None
    list_display = ["id", "flagged_at", "flagged_by", "job_state"]
    fields = ["flagged_at", "flagged_by", "note", "report"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return self.may_view(request)

    @admin.display(description="Erasure")
    def job_state(self, obj):
        return obj.job.get_state_display()

    @admin.display(description="Report")
    def report(self, obj):
        data = services.child_report(obj)
        done = format_html_join("", "<li>{}: {}</li>", ((d["what"], d["count"])
                                                        for d in data["done"]))
        kept = format_html_join("", "<li>{} ({}): kept under {}, until {}</li>",
                                ((k["item"], ", ".join(k["fields"]), k["basis"], k["until"])
                                 for k in data["kept"])) or mark_safe("<li>Nothing</li>")
        hold = format_html("<p>{}</p>", data["hold"]) if data["hold"] else ""
        return format_html("<p>State: {}</p>{}<h4>Done</h4><ul>{}</ul><h4>Kept, and why</h4>"
                           "<ul>{}</ul>", data["state"], hold, done, kept)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = forms.FlagChildForm(request.POST or None, initial=_from_query(request))
        if request.method == "POST" and form.is_valid():
            try:
                report = services.flag_child(form.cleaned_data["customer_id"],
                                             actor=request.user,
                                             note=form.cleaned_data["note"])
            except services.RightsError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, "The account was flagged as a child's and erased; "
                                          "this is the report.")
                return redirect("admin:rights_childreport_change", report.pk)
        return self._form_page(request, form, "Flag a child's account")


@admin.register(LegalHold)
class LegalHoldAdmin(_RoleAdmin):
    """Legal holds (C41): the add page places one; the list action releases."""

    list_display = ["id", "reason", "reference", "subject_id", "record_model", "record_pk",
                    "starts_at", "ends_at", "released_at", "created_by"]
    list_filter = ["reason"]
    fields = [*list_display, "role", "key_shredded_at", "held_record"]
    readonly_fields = fields
    actions = ["release"]

    @admin.display(description="Held record")
    def held_record(self, obj):
        """The record's values, decrypted under the hold's key: this page is compliance's."""
        values = holds.held_values(obj)
        if not values:
            return "-"
        return format_html("<dl>{}</dl>", format_html_join(
            "", "<dt>{}</dt><dd>{}</dd>", ((label, value or "-") for label, value in values)))

    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if change and obj is not None and obj.record_model and obj.subject_id:
            audit.record(audit.actor_of(request.user), "staff.read", obj.subject_id,
                         [label for label, _ in holds.held_values(obj)], f"hold:{obj.pk}")
        return response

    def has_add_permission(self, request):
        return self.may_view(request)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Release the selected holds")
    def release(self, request, queryset):
        for hold in queryset:
            services.release_hold(hold, actor=request.user)
        messages.success(request, "Released. Held erasures resume at the next retention run.")

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = forms.LegalHoldForm(request.POST or None, initial=_from_query(request))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            user = data.get("user")
            try:
                services.place_hold(
                    actor=request.user, reason=data["reason"],
                    subject_id=user.subject_id if user else None,
                    record_model=data.get("record_model") or "",
                    record_pk=data.get("record_pk") or "", ends_at=data.get("ends_at"),
                    starts_at=data.get("starts_at"), reference=data.get("reference") or "")
            except services.RightsError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, "The hold is in place.")
                return redirect("admin:rights_legalhold_changelist")
        return self._form_page(request, form, "Place a legal hold")
