"""The support desk's back office: a ticket list and a ticket page for staff of each queue.

Staff with the support, abuse or compliance role see the tickets of their own queue (superusers
all): the thread, the files (downloaded through an audited read), an answer form (C19), close
and reopen, and "Record as a data-subject request" (C32). Opening a ticket is a logged read.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from hostpact.core import audit
from hostpact.privacy import roles
from hostpact.privacy.admin_base import ReadOnlyAdmin
from hostpact.privacy.subject_requests.services.states import RequestError
from hostpact.support import services
from hostpact.support.actions import actions_for
from hostpact.support.forms import AnswerForm, RequestForm
from hostpact.support.models import Attachment, Ticket

QUEUES = tuple(Ticket.Queue.values)
READ_FIELDS = ["return_address", "subject_line", "sender_name", "body", "filename"]


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    roles_allowed = QUEUES
    list_display = ["__str__", "queue", "status", "channel", "user", "created_at",
                    "updated_at"]
    list_filter = ["queue", "status", "channel"]
    search_fields = ("pk",)
    search_help_text = "A ticket number (T-000123 or 123)."

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("user")
        if request.user.is_superuser:
            return qs
        return qs.filter(queue__in=roles.role_names(request.user))

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip().upper().removeprefix("T-")
        if not term:
            return queryset, False
        return (queryset.filter(pk=int(term)) if term.isdigit() else queryset.none()), False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [path("<int:pk>/files/<int:file_pk>/", wrap(self.file_view),
                     name="support_ticket_file"), *super().get_urls()]

    def file_view(self, request, pk: int, file_pk: int):
        attachment = get_object_or_404(Attachment.objects.select_related("ticket"),
                                       pk=file_pk, ticket_id=pk)
        try:
            data = services.read_attachment(attachment, request.user)
        except PermissionError:
            raise PermissionDenied from None
        except services.SupportError as exc:
            return HttpResponse(str(exc), status=410, content_type="text/plain")
        response = HttpResponse(data, content_type=attachment.content_type)
        response["Content-Disposition"] = f'attachment; filename="{pk}-{file_pk}.bin"'
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        ticket = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not services.may_handle(request.user, ticket):
            raise PermissionDenied
        answer = AnswerForm(prefix="answer")
        kind = RequestForm(prefix="request",
                           initial={"kind": ticket.suggested_request or None})
        status = 200
        if request.method == "POST":
            action = request.POST.get("action", "")
            try:
                done = self._act(request, ticket, action)
            except services.SupportError as exc:
                messages.error(request, str(exc))
                done = None
                status = 400
            except PermissionError:
                raise PermissionDenied from None
            except RequestError as exc:
                messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
                done, status = None, 400
            if isinstance(done, str):
                messages.success(request, done)
                return redirect("admin:support_ticket_change", ticket.pk)
            if isinstance(done, AnswerForm):
                answer, status = done, 400
        audit.record(audit.actor_of(request.user), "staff.read", ticket.subject_id,
                     READ_FIELDS, ticket.reference)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": f"{ticket.reference}: {ticket.subject_line or '(no subject)'}",
                   "ticket": ticket, "anonymised": services.is_anonymised(ticket),
                   "thread": ticket.messages.prefetch_related("attachments"),
                   "answer_form": answer, "request_form": kind,
                   "ticket_actions": actions_for(ticket)}
        return TemplateResponse(request, "support/admin_ticket.html", context, status=status)

    def _act(self, request, ticket, action):
        """Run one button of the ticket page; return the success text, or a bound form with
        its errors."""
        staff = request.user
        if action == "answer":
            form = AnswerForm(request.POST, prefix="answer")
            if not form.is_valid():
                return form
            try:
                services.answer_ticket(ticket, staff, form.cleaned_data["body"])
            except services.SupportError as exc:
                if exc.field != "body":
                    raise
                form.add_error("body", str(exc))
                return form
            return f"Answer to {ticket.reference} queued."
        if action == "close":
            services.close_ticket(ticket, staff)
            return f"{ticket.reference} closed."
        if action == "reopen":
            services.reopen_ticket(ticket, staff)
            return f"{ticket.reference} reopened."
        if action == "request":
            form = RequestForm(request.POST, prefix="request")
            if not form.is_valid():
                raise services.SupportError("Choose the right asked for.")
            dsr = services.record_subject_request(ticket, staff, form.cleaned_data["kind"])
            return f"{ticket.reference} recorded as request {dsr.reference}."
        raise services.SupportError("Unknown action.")
