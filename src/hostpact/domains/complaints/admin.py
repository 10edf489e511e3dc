"""Back office of the privacy complaints, open to the abuse desk alone (and superusers).

Abuse staff read a case (the complainant, the grounds, the customer's assurances and proof;
opening a case is a logged read), file a complaint they received another way (the add page runs
``file_complaint``), download the proof, and accept or reject the assurances (actions running
the services). Nothing is edited by hand.
"""

import base64

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from hostpact.core import audit
from hostpact.domains.complaints import services
from hostpact.domains.complaints.forms import ComplaintForm
from hostpact.domains.complaints.models import Complaint, ComplaintAnswer
from hostpact.privacy.admin_base import ReadOnlyAdmin

ABUSE = ("abuse",)
CASE_FIELDS = ["domain", "state", "filed_at", "filed_by", "due_on", *services.COMPLAINANT_FIELDS,
               "statement", "indemnity", "proof", "answered", "decided_at", "decided_by",
               "enforced_at", "timeline"]
ANSWER_FIELDS = ["statement", "indemnity_accepted", "evidence"]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    roles_allowed = ABUSE
    list_display = ["__str__", "domain", "state", "filed_at", "due_on"]
    list_filter = ["state"]
    list_select_related = ["domain"]
    fields = CASE_FIELDS
    readonly_fields = CASE_FIELDS
    actions = ["accept", "reject"]

    def has_add_permission(self, request, *args):
        return self.may_view(request)

    def get_actions(self, request):
        return super().get_actions(request) if self.may_view(request) else {}

    @admin.display(description="Customer's written confirmation")
    def statement(self, obj):
        answer = obj.given_answer
        return answer.statement if answer else "not given"

    @admin.display(description="Indemnity accepted", boolean=True)
    def indemnity(self, obj):
        answer = obj.given_answer
        return bool(answer and answer.indemnity_accepted)

    @admin.display(description="Answered at")
    def answered(self, obj):
        answer = obj.given_answer
        return answer.answered_at if answer else None

    @admin.display(description="Proof")
    def proof(self, obj):
        answer = obj.given_answer
        if answer is None or not answer.evidence:
            return "none"
        url = reverse("admin:domain_complaints_complaint_proof", args=[obj.pk])
        return format_html('<a href="{}">{}</a> ({})', url, answer.evidence_name,
                           answer.evidence_type)

    @admin.display(description="Timeline")
    def timeline(self, obj):
        return format_html("<ol>{}</ol>", format_html_join(
            "", "<li>{} — {} ({})</li>",
            ((s.at.strftime("%d %b %Y %H:%M"), s.get_kind_display(), s.actor)
             for s in obj.steps.all())))

    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if obj is not None:
            audit.record(audit.actor_of(request.user), "staff.read", obj.subject_id,
                         list(services.COMPLAINANT_FIELDS), f"complaint:{obj.pk}")
            if obj.given_answer is not None:
                audit.record(audit.actor_of(request.user), "staff.read",
                             obj.given_answer.subject_id, ANSWER_FIELDS, f"complaint:{obj.pk}")
        return response

    def get_urls(self):
        return [path("<int:pk>/proof/", self.admin_site.admin_view(self.proof_view),
                     name="domain_complaints_complaint_proof"), *super().get_urls()]

    def proof_view(self, request, pk: int):
        if not self.may_view(request):
            raise PermissionDenied
        answer = get_object_or_404(ComplaintAnswer, complaint_id=pk)
        if not answer.evidence:
            raise Http404("No proof was uploaded.")
        audit.record(audit.actor_of(request.user), "staff.read", answer.subject_id,
                     ["evidence"], f"complaint:{pk}")
        response = HttpResponse(base64.b64decode(answer.evidence),
                                content_type=answer.evidence_type)
        response["Content-Disposition"] = f'attachment; filename="complaint-{pk}-proof"'
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ComplaintForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                complaint = services.file_complaint(**form.cleaned_data,
                                                    actor=audit.actor_of(request.user))
            except services.ComplaintRefused as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, f"Complaint C-{complaint.pk} filed; the customer "
                                          f"was asked for assurances.")
                return redirect("admin:domain_complaints_complaint_change", complaint.pk)
        context = {**self.admin_site.each_context(request), "form": form,
                   "title": "File a privacy complaint", "opts": self.model._meta}
        return TemplateResponse(request, "admin_form.html", context,
                                status=400 if form.errors else 200)

    def _decide(self, request, queryset, fn, verb: str):
        if not self.may_view(request):
            raise PermissionDenied
        for complaint in queryset:
            try:
                fn(complaint, actor=audit.actor_of(request.user))
            except services.ComplaintRefused as exc:
                self.message_user(request, f"{complaint}: {exc}", messages.ERROR)
            else:
                self.message_user(request, f"{complaint}: assurances {verb}.")

    @admin.action(description="Accept the assurances (close the case)")
    def accept(self, request, queryset):
        self._decide(request, queryset, services.accept_answer, "accepted")

    @admin.action(description="Reject the assurances (the domain will be deactivated)")
    def reject(self, request, queryset):
        self._decide(request, queryset, services.reject_answer, "rejected")
