"""Back office of the disclosures gate: recipients and agreements, the disclosure and refusal
ledgers, and requests from authorities with their approve / reject / disclose actions.

No page here shows a personal value: recipients are organisations and subjects appear as
customer IDs. Every write calls ``services`` (audited); the ledgers are read-only. Only the
compliance role (or a superuser) opens these pages; the abuse desk may also record a request
from an authority it received, but only compliance decides on it.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.http import HttpResponse

from hostpact.core import audit
from hostpact.core.customer_ids import pk_from_customer_id
from hostpact.privacy import roles, taxonomy
from hostpact.privacy.admin_base import ReadOnlyAdmin
from hostpact.privacy.disclosures import services
from hostpact.privacy.disclosures.models import (
    Agreement,
    AuthorityRequest,
    Disclosure,
    DisclosureRefusal,
    Recipient,
)


def _compliance(request) -> bool:
    return services.is_compliance(request.user)


class ComplianceOnly:
    """Opened by compliance staff and superusers only."""

    def has_module_permission(self, request):
        return _compliance(request)

    def has_view_permission(self, request, obj=None):
        return _compliance(request)

    def has_add_permission(self, request, *args):
        return _compliance(request)

    def has_change_permission(self, request, obj=None):
        return _compliance(request)

    def has_delete_permission(self, request, obj=None):
        return False  # the ledgers reference these rows; a recipient is ended, not deleted


class AgreementInline(ComplianceOnly, admin.TabularInline):
    model = Agreement
    extra = 0


def _keys_field(kind: str, label: str, required: bool = False):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(
        attrs={"rows": 3}), help_text="Taxonomy keys, one per line or separated by commas; a "
                                     "key covers the keys under it.")


def _split(text: str) -> list[str]:
    return [k for k in (p.strip() for p in (text or "").replace(",", "\n").splitlines()) if k]


class RecipientForm(forms.ModelForm):
    TEXT_FIELDS = {"allowed_categories": "categories_text", "allowed_purposes": "purposes_text"}
    categories_text = _keys_field("data_category", "Allowed data categories")
    purposes_text = _keys_field("data_use", "Allowed purposes")

    class Meta:
        model = Recipient
        fields = ["slug", "name", "kind", "role", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["categories_text"].initial = "\n".join(self.instance.allowed_categories)
            self.fields["purposes_text"].initial = "\n".join(self.instance.allowed_purposes)

    def clean_categories_text(self):
        keys = _split(self.cleaned_data["categories_text"])
        for key in keys:
            if key not in taxonomy.keys()["data_category"]:
                raise forms.ValidationError(f"{key!r} is not a data category key.")
        return keys

    def clean_purposes_text(self):
        return _split(self.cleaned_data["purposes_text"])

    def clean(self):
        data = super().clean()
        # The model's own rules (``Recipient.clean``: no billing data for a partner) judge the
        # keys about to be saved, not the row's old ones.
        if "categories_text" in data:
            self.instance.allowed_categories = data["categories_text"]
        if "purposes_text" in data:
            self.instance.allowed_purposes = data["purposes_text"]
        return data

    def add_error(self, field, error):
        """Show the model's errors on its JSON fields beside the text fields editing them."""
        if field is None and hasattr(error, "error_dict"):
            error = forms.ValidationError({self.TEXT_FIELDS.get(name, name): errors
                                           for name, errors in error.error_dict.items()})
        super().add_error(field, error)


@admin.register(Recipient)
class RecipientAdmin(ComplianceOnly, admin.ModelAdmin):
    form = RecipientForm
    inlines = [AgreementInline]
    list_display = ("name", "slug", "kind", "role", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "slug")

    def save_model(self, request, obj, form, change):
        obj.allowed_categories = form.cleaned_data["categories_text"]
        obj.allowed_purposes = form.cleaned_data["purposes_text"]
        services.save_recipient(obj, actor=audit.actor_of(request.user))

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for agreement in instances:
            services.save_agreement(agreement, actor=audit.actor_of(request.user))
        formset.save_m2m()


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    roles_allowed = ("compliance",)
    list_display = ("created_at", "recipient", "purpose", "subject_count", "legal_basis",
                    "actor")
    list_filter = ("recipient__kind", "recipient")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    show_full_result_count = False


@admin.register(DisclosureRefusal)
class DisclosureRefusalAdmin(ReadOnlyAdmin):
    roles_allowed = ("compliance",)
    list_display = ("created_at", "recipient_slug", "purpose", "reason", "subject_count",
                    "actor")
    date_hierarchy = "created_at"
    show_full_result_count = False


class AuthorityRequestForm(forms.ModelForm):
    customers = forms.CharField(
        label="Subscribers in scope", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Customer IDs (HP-000123), one per line or separated by commas.")
    categories_text = _keys_field("data_category", "Data categories in scope", required=True)

    class Meta:
        model = AuthorityRequest
        fields = ["authority", "instrument", "reference", "date_from", "date_to", "ndo_until"]

    def clean_customers(self):
        subjects, bad = [], []
        for text in _split(self.cleaned_data["customers"]):
            pk = pk_from_customer_id(text)
            users = get_user_model().objects.filter(pk=pk)
            subject_id = (users.values_list("subject_id", flat=True).first()
                          if pk is not None else None)
            (subjects.append(subject_id) if subject_id else bad.append(text))
        if bad:
            raise forms.ValidationError(f"No such customer: {', '.join(bad)}.")
        if not subjects:
            raise forms.ValidationError("Name at least one customer ID.")
        return subjects

    def clean_categories_text(self):
        keys = _split(self.cleaned_data["categories_text"])
        for key in keys:
            if key not in taxonomy.keys()["data_category"]:
                raise forms.ValidationError(f"{key!r} is not a data category key.")
        return keys

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The range ends before it starts.")
        return data


@admin.register(AuthorityRequest)
class AuthorityRequestAdmin(ComplianceOnly, admin.ModelAdmin):
    list_display = ("id", "instrument", "reference", "authority", "status", "received_at",
                    "ndo_until")
    list_filter = ("status", "instrument")
    actions = ["approve", "reject", "disclose"]
    readonly_fields = ("status", "received_at", "recorded_by", "decided_by", "decided_at",
                       "decision_note", "scope")

    def _may_record(self, request) -> bool:
        return roles.has_role(request.user, "compliance", "abuse")

    def has_module_permission(self, request):
        return self._may_record(request)

    def has_view_permission(self, request, obj=None):
        return self._may_record(request)

    def has_add_permission(self, request, *args):
        return self._may_record(request)

    def has_change_permission(self, request, obj=None):
        return False  # a received instrument is not edited; a new one is recorded

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = AuthorityRequestForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["authority", "instrument", "reference", "customers", "categories_text",
                    "date_from", "date_to", "ndo_until"]
        return ["authority", "instrument", "reference", "scope", "date_from", "date_to",
                "ndo_until", *self.readonly_fields[:-1]]

    @admin.display(description="Scope")
    def scope(self, obj):
        customers = get_user_model().objects.filter(subject__in=obj.subjects.all()).order_by("pk")
        ids = ", ".join(u.customer_id for u in customers) or f"{obj.subjects.count()} subjects"
        return f"{ids} — {', '.join(obj.categories)}"

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.receive_authority_request(
            authority=data["authority"], instrument=data["instrument"],
            reference=data["reference"], subjects=data["customers"],
            categories=data["categories_text"], date_from=data.get("date_from"),
            date_to=data.get("date_to"), ndo_until=data.get("ndo_until"),
            actor=audit.actor_of(request.user))
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        pass  # the subjects were set by receive_authority_request

    def _decide(self, request, queryset, fn, verb):
        for authority_request in queryset:
            try:
                fn(authority_request, request.user)
            except (services.NotAllowed, services.InvalidState) as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return
            self.message_user(request, f"Authority request {authority_request.pk} {verb}.")

    @admin.action(description="Approve (compliance role)")
    def approve(self, request, queryset):
        self._decide(request, queryset, services.approve_authority_request, "approved")

    @admin.action(description="Reject (compliance role)")
    def reject(self, request, queryset):
        self._decide(request, queryset, services.reject_authority_request, "rejected")

    @admin.action(description="Disclose through the gate and download the data package")
    def disclose(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one approved request to disclose.",
                              messages.ERROR)
            return None
        try:
            disclosure, package = services.disclose_authority_request(queryset.get(),
                                                                       request.user)
        except (services.NotAllowed, services.InvalidState, services.DisclosureRefused) as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return None
        response = HttpResponse(json.dumps(package, indent=2, default=str),
                                content_type="application/json")
        response["Content-Disposition"] = (
            f'attachment; filename="authority-request-{package["legal_request"]}-'
            f'disclosure-{disclosure.pk}.json"')
        return response
