"""Back office of resellers, for staff with the support, billing or compliance role (and
superusers): the list of resellers (state, country, hosts, customers), creating one through
``create_reseller`` (approved at once), approving and suspending through the services, and
each reseller's host names. Nothing here is a bare save: every button runs a service."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from hostpact.accounts.models import User
from hostpact.core import audit
from hostpact.privacy.admin_base import ReadOnlyAdmin
from hostpact.resellers.models import Reseller, ResellerHost
from hostpact.resellers.services.resellers import (
    ResellerError,
    approve_reseller,
    create_reseller,
    suspend_reseller,
)

ROLES = ("support", "billing", "compliance")


class NewResellerForm(forms.Form):
    name = forms.CharField(label="Legal name", max_length=120)
    host = forms.CharField(label="Host name", max_length=253,
                           help_text="Where its storefront answers, e.g. shop.example.")
    country = forms.CharField(label="Country code", max_length=2, initial="IN",
                              help_text="ISO 3166-1 alpha-2: its business days' calendar.")


class HostInline(admin.TabularInline):
    model = ResellerHost
    fields = ("host", "primary")
    readonly_fields = ("host", "primary")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True


@admin.register(Reseller)
class ResellerAdmin(ReadOnlyAdmin):
    roles_allowed = ROLES
    list_display = ("name", "state", "country", "host_names", "customers", "created_at")
    list_filter = ("state", "country")
    search_fields = ("name", "slug")
    fields = ("name", "slug", "state", "country", "brand_name", "support_email",
              "controller_name", "controller_email", "controller_address", "markup_percent",
              "created_at", "approved_at", "approved_by", "ended_at")
    readonly_fields = fields
    inlines = (HostInline,)
    actions = ("approve", "suspend")

    def get_queryset(self, request):
        customers = (User.objects.filter(realm_id=OuterRef("realm_id"), is_staff=False)
                     .order_by().values("realm_id").annotate(n=Count("pk")).values("n"))
        return (super().get_queryset(request).defer("logo").prefetch_related("hosts")
                .annotate(customer_count=Coalesce(Subquery(customers), 0)))

    @admin.display(description="Hosts")
    def host_names(self, obj):
        return ", ".join(h.host for h in obj.hosts.all())

    @admin.display(description="Customers", ordering="customer_count")
    def customers(self, obj):
        return obj.customer_count

    def has_add_permission(self, request, *args):
        return self.may_view(request)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.may_view(request):
            raise PermissionDenied
        form = NewResellerForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                reseller = create_reseller(**form.cleaned_data, approve=True,
                                           actor=audit.actor_of(request.user))
            except ResellerError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"{reseller.name} is created and approved.")
                return redirect("admin:resellers_reseller_change", reseller.pk)
        context = {**self.admin_site.each_context(request), "form": form,
                   "title": "Create a reseller", "opts": self.model._meta}
        return TemplateResponse(request, "admin_form.html", context,
                                status=400 if form.errors else 200)

    def _change_state(self, request, queryset, fn, verb: str):
        if not self.may_view(request):
            raise PermissionDenied
        for reseller in queryset:
            try:
                fn(reseller, actor=audit.actor_of(request.user))
            except ResellerError as exc:
                self.message_user(request, f"{reseller}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{reseller}: {verb}.")

    @admin.action(description="Approve (let them sell)")
    def approve(self, request, queryset):
        self._change_state(request, queryset, approve_reseller, "approved")

    @admin.action(description="Suspend (stop their selling; customers keep their services)")
    def suspend(self, request, queryset):
        self._change_state(request, queryset, suspend_reseller, "suspended")
