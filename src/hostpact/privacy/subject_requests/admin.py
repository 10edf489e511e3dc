"""Back office for data-subject requests: record, verify, work, close; and the overdue list.

The list and change pages come from ``DataMapAdmin`` (customer IDs and non-personal columns
only; the change page is read-only, so no state can be edited around the state machine). The
work happens on a "process" page whose forms each call one service. Who may do any of it:
superusers and the support and compliance roles (``services.may_work``).

A correction uses the form and service each app registered with ``registry.corrector``: one
step "correct" when one corrector is registered for staff, else one step per corrector.
"""

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from hostpact.core import audit, clock
from hostpact.privacy import registry, roles
from hostpact.privacy.admin_base import DataMapAdmin
from hostpact.privacy.subject_data import subject_path
from hostpact.privacy.subject_requests import forms, services
from hostpact.privacy.subject_requests.models import DataSubjectRequest as DSR

S = DSR.Status

ACTION_LABELS = {
    "send_code": "Send code",
    "enter_code": "Enter code",
    "attest": "Attest identity",
    "start": "Start work",
    "produce_export": "Produce the export and tell the person",
    "correct": "Apply correction",
    "erase": "Erase the person's data",
    "object": "Record the objection",
    "complete": "Complete",
    "deny": "Deny",
}
FULFIL = {DSR.Kind.ACCESS: "produce_export", DSR.Kind.CORRECTION: "correct",
          DSR.Kind.ERASURE: "erase", DSR.Kind.OBJECTION: "object"}
FORMS = {
    "send_code": forms.SendCodeForm, "enter_code": forms.CodeForm, "attest": forms.AttestForm,
    "start": forms.ConfirmForm, "produce_export": forms.ConfirmForm,
    "erase": forms.ConfirmForm, "object": forms.ObjectionForm,
    "complete": forms.CompleteForm, "deny": forms.DenyForm,
}
CORRECT = "correct"


def correction_steps() -> dict[str, registry.Corrector]:
    """The correction steps, each keyed by its action (also its form's prefix): "correct"
    with one staff corrector, else "correct-<app>-<model>" per corrector."""
    found = registry.staff_correctors()
    if len(found) == 1:
        return {CORRECT: found[0]}
    steps: dict[str, registry.Corrector] = {}
    for corrector in found:
        key = f"{CORRECT}-{corrector.model._meta.label_lower.replace('.', '-')}"
        steps[key if key not in steps else f"{key}-{len(steps)}"] = corrector
    return steps


def step_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    corrector = correction_steps()[action]
    return f"{ACTION_LABELS[CORRECT]}: {registry.section_of(corrector.model).title}"


def available_actions(dsr: DSR) -> list[str]:
    """The steps the request's state allows, in the order staff take them ("correct" stands
    for every correction step)."""
    if not dsr.is_open:
        return []
    if dsr.is_locked:
        return ["deny"]
    if dsr.status == S.RECEIVED:
        return ["send_code", "attest", "deny"] if not dsr.attested_at else ["send_code", "deny"]
    if dsr.status == S.IDENTITY_UNVERIFIED:
        steps = ["send_code"]
        if dsr.code_hash:
            steps.append("enter_code")
        if not dsr.attested_at:
            steps.append("attest")
        return [*steps, "deny"]
    if dsr.status == S.VERIFIED:
        return ["start", "deny"]
    steps = [FULFIL[dsr.kind]]
    if dsr.kind in (DSR.Kind.ACCESS, DSR.Kind.CORRECTION):
        steps.append("complete")
    return [*steps, "deny"]


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue"), ("no", "Not overdue")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return services.overdue().filter(pk__in=queryset.values("pk"))
        if self.value() == "no":
            return queryset.exclude(pk__in=services.overdue().values("pk"))
        return queryset


@admin.register(DSR)
class DataSubjectRequestAdmin(DataMapAdmin):
    ordering = ("due_on", "id")
    change_form_template = "requests/admin_change_form.html"
    change_list_template = "requests/admin_change_list.html"

    # --- who may use these pages ------------------------------------------------------------

    def has_module_permission(self, request):
        return services.may_work(request.user)

    def has_view_permission(self, request, obj=None):
        return services.may_work(request.user)

    def has_add_permission(self, request, *args):
        return services.may_work(request.user)  # "Add" opens the record form (a service)

    def has_change_permission(self, request, obj=None):
        return False  # every change is a step of the state machine, on the process page

    # --- list ---------------------------------------------------------------------------------

    @admin.display(description="overdue", boolean=True)
    def overdue(self, obj):
        return obj.is_overdue()

    def get_list_display(self, request):
        return ("__str__", "user", "kind", "channel", "status", "due_on", "overdue",
                "assigned_to")

    def get_list_filter(self, request):
        return (OverdueFilter, "status", "kind", "channel")

    def get_list_select_related(self, request):
        return ("user", "assigned_to")

    # --- extra pages ----------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("overdue/", wrap(self.overdue_view), name="requests_dsr_overdue"),
            path("<int:pk>/process/", wrap(self.process_view), name="requests_dsr_process"),
            path("<int:pk>/export/", wrap(self.export_view), name="requests_dsr_export"),
            *super().get_urls(),
        ]

    def _guard(self, request):
        if not services.may_work(request.user):
            raise PermissionDenied

    def _context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta,
                "title": title, **extra}

    def add_view(self, request, form_url="", extra_context=None):
        """Record a request a person made by email, phone, chat or letter."""
        self._guard(request)
        form = forms.RecordRequestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                dsr = services.record_request(
                    request.user, customer=data["customer"], channel=data["channel"],
                    kind=data["kind"], notes=data["notes"], received_at=data["received_at"])
            except services.RequestError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"{dsr.reference} recorded, due {dsr.due_on:%d %b %Y}."
                                 " Verify the person's identity next.")
                return redirect("admin:requests_dsr_process", dsr.pk)
        return TemplateResponse(request, "requests/record.html",
                                self._context(request, "Record a data-subject request",
                                              form=form))

    def overdue_view(self, request):
        """Open requests past their due date, the most overdue first."""
        self._guard(request)
        today = clock.today()
        rows = [(dsr, (today - dsr.due_on).days)
                for dsr in services.overdue(today).select_related("user", "assigned_to")]
        return TemplateResponse(request, "requests/overdue.html",
                                self._context(request, "Overdue data-subject requests",
                                              rows=rows, today=today))

    def export_view(self, request, pk):
        """The person's export, for staff to hand over (never mailed); an audited read."""
        self._guard(request)
        dsr = get_object_or_404(DSR, pk=pk)
        try:
            export = services.download_export(dsr, request.user)
        except services.RequestError as exc:
            messages.error(request, str(exc))
            return redirect("admin:requests_dsr_process", dsr.pk)
        body = json.dumps(export, cls=DjangoJSONEncoder, indent=2, default=str)
        response = HttpResponse(body, content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{dsr.reference}-export.json"'
        response["Cache-Control"] = "no-store"
        return response

    def process_view(self, request, pk):
        """The request's state and the steps it allows, each a small form."""
        self._guard(request)
        dsr = get_object_or_404(DSR.objects.select_related("user", "assigned_to", "attested_by"),
                                pk=pk)
        steps = _steps(dsr)
        bound = {}
        if request.method == "POST":
            action = request.POST.get("action", "")
            if action not in steps:
                messages.error(request, f"{ACTION_LABELS.get(action, 'That step')} is not "
                               f"possible while {dsr.reference} is {dsr.get_status_display()}.")
                return redirect("admin:requests_dsr_process", dsr.pk)
            form = self._form(request, action, dsr, data=request.POST)
            if form.is_valid():
                try:
                    note = _run(action, dsr, request.user, form)
                except services.RequestError as exc:
                    _add_errors(form, exc)
                except PermissionError:
                    raise PermissionDenied from None
                else:
                    messages.success(request, note)
                    return redirect("admin:requests_dsr_process", dsr.pk)
            bound[action] = form
            dsr.refresh_from_db()
            steps = _steps(dsr)
        step_forms = [(a, step_label(a), bound.get(a) or self._form(request, a, dsr))
                      for a in steps]
        self._audit_read(request, dsr, step_forms)
        return TemplateResponse(request, "requests/process.html", self._context(
            request, f"{dsr.reference}: {dsr.get_kind_display()} request", dsr=dsr,
            steps=step_forms, overdue=dsr.is_overdue(),
            export_url=(reverse("admin:requests_dsr_export", args=[dsr.pk])
                        if dsr.export_ready_at and dsr.kind == DSR.Kind.ACCESS else None)))

    def _form(self, request, action, dsr, data=None):
        corrector = correction_steps().get(action)
        if corrector is None:
            return FORMS[action](data=data, prefix=action)
        model = corrector.model
        declared = registry.for_model(model).fields
        path = subject_path(model)
        row = (model._default_manager.filter(**{path: dsr.subject_id}).first()
               if path else None)
        corrected = [k for k in corrector.form.base_fields
                     if k in declared and forms.corrects(corrector, k)]
        initial = {k: getattr(row, k) or "" for k in corrected} if row else {}
        form = corrector.form(data=data, prefix=action, initial=initial)
        for name in list(form.fields):
            decl = declared.get(name)
            if decl is None:
                continue
            if name not in corrected:
                del form.fields[name]  # another corrector's field of the same model
            elif decl.personal and not roles.may_see(request.user, decl.category):
                del form.fields[name]  # a category the viewer's role may not see
        return form

    def _audit_read(self, request, dsr, step_forms):
        shown = [n for n in ("notes", "outcome_note", "objected_use") if getattr(dsr, n)]
        correctors = correction_steps()
        for action, _label, form in step_forms:
            if action in correctors:
                shown += [n for n in form.fields if forms.corrects(correctors[action], n)]
        if shown:
            audit.record(audit.actor_of(request.user), "staff.read", dsr.subject_id, shown,
                         dsr.reference)


def _steps(dsr: DSR) -> list[str]:
    """The actions of the steps shown, each correction step in place of "correct"."""
    out = []
    for action in available_actions(dsr):
        out += list(correction_steps()) if action == CORRECT else [action]
    return out


def _add_errors(form, exc: services.RequestError) -> None:
    for field, msgs in exc.errors.items():
        for msg in msgs:
            form.add_error(field if field in form.fields else None, msg)


def _run(action: str, dsr: DSR, staff, form) -> str:
    """Call the service behind ``action``; return the message to show."""
    data = form.cleaned_data
    ref = dsr.reference
    if action == "send_code":
        services.send_code(dsr, staff, data["via"])
        return f"A code was sent to the {data['via']} on file; it is valid for 10 minutes."
    if action == "enter_code":
        dsr = services.check_code(dsr, staff, data["code"])
        return ("The code is right." + (" Identity verified." if dsr.status == S.VERIFIED
                                        else " Attest the identity to finish verifying."))
    if action == "attest":
        dsr = services.attest_identity(dsr, staff, data["confirmed"])
        return ("Attestation recorded." + (" Identity verified." if dsr.status == S.VERIFIED
                                           else " Check the code to finish verifying."))
    if action == "start":
        services.start_request(dsr, staff)
        return f"{ref} is in progress."
    if action == "produce_export":
        services.fulfil_access(dsr, staff)
        return "The export is ready and the person was told. Download it below to hand over."
    corrector = correction_steps().get(action)
    if corrector is not None:
        changed = services.apply_correction(dsr, staff, forms.correction_changes(form, corrector),
                                            corrector)
        return (f"Corrected: {', '.join(changed)}." if changed else "Nothing was different.")
    if action == "erase":
        dsr = services.fulfil_erasure(dsr, staff)
        if dsr.status == S.COMPLETED:
            return f"The person's data was erased; {ref} is completed."
        return (f"The erasure ({dsr.erasure_ref}) is paused, for example by a legal hold; "
                f"{ref} stays in progress. Run it again once the hold ends.")
    if action == "object":
        services.fulfil_objection(dsr, staff, data["use"], data.get("note", ""))
        return f"The objection was recorded; {ref} is completed."
    if action == "complete":
        services.complete_request(dsr, staff, data.get("note", ""))
        return f"{ref} is completed."
    if action == "deny":
        services.deny_request(dsr, staff, data["reason"])
        return f"{ref} was denied."
    raise services.IllegalTransition(f"Unknown step {action!r}.")
