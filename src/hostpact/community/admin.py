"""The community's back office, for abuse, support and compliance staff (and superusers).

The moderation queue is the post list (filtered to "Awaiting moderation" by default): each
post's page approves or removes it and locks its thread. Testimonials are approved or
rejected. A removal request's page shows the content and decides it (remove, anonymise with
an edit box, refuse with a reason). "Record as a removal request" on an abuse ticket's page
(registered with support's ticket actions) opens the page that records one from the ticket.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from hostpact.community import services
from hostpact.community.forms import DecideForm, RecordForm
from hostpact.community.models import Category, Post, RemovalRequest, Testimonial
from hostpact.core import audit
from hostpact.privacy.admin_base import ReadOnlyAdmin
from hostpact.support.actions import register_ticket_action
from hostpact.support.models import Ticket

ROLES = services.MODERATOR_ROLES


def _page(admin_, request, template, context, status=200):
    context = {**admin_.admin_site.each_context(request), "opts": admin_.model._meta,
               **context}
    return TemplateResponse(request, template, context, status=status)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order")
    prepopulated_fields = {"slug": ("name",)}

    def has_module_permission(self, request):
        return services.is_moderator(request.user)

    def has_view_permission(self, request, obj=None):
        return services.is_moderator(request.user)

    def has_add_permission(self, request):
        return services.is_moderator(request.user)

    def has_change_permission(self, request, obj=None):
        return services.is_moderator(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.save_category(request.user, obj)


class _HeldFirst(admin.SimpleListFilter):
    title, parameter_name = "state", "state"

    def lookups(self, request, model_admin):
        return [("held", "Awaiting moderation"), ("visible", "Visible"),
                ("removed", "Removed"), ("all", "All")]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {"selected": (self.value() or "held") == value, "display": label,
                   "query_string": changelist.get_query_string({self.parameter_name: value})}

    def queryset(self, request, queryset):
        value = self.value() or "held"
        return queryset if value == "all" else queryset.filter(state=value)


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    roles_allowed = ROLES
    list_display = ("__str__", "thread", "state", "anonymised", "created_at")
    list_filter = (_HeldFirst,)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.may_view(request):
            raise PermissionDenied
        post = get_object_or_404(Post.objects.select_related("thread"), pk=object_id)
        if request.method == "POST":
            action = request.POST.get("action")
            try:
                if action == "approve":
                    services.approve_post(post, request.user)
                elif action == "remove":
                    services.remove_post(post, request.user)
                elif action in ("lock", "unlock"):
                    services.lock_thread(post.thread, request.user, locked=action == "lock")
                elif action in ("pin", "unpin"):
                    services.pin_thread(post.thread, request.user, pinned=action == "pin")
                else:
                    raise services.CommunityError("Unknown action.")
            except services.CommunityError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"{post}: {action} done.")
            return redirect("admin:community_post_change", post.pk)
        audit.record(audit.actor_of(request.user), "staff.read", post.subject_id, ["body"],
                     str(post))
        return _page(self, request, "admin/community/post.html",
                     {"title": f"{post} in “{post.thread.title}”", "post": post})


@admin.register(Testimonial)
class TestimonialAdmin(ReadOnlyAdmin):
    roles_allowed = ROLES
    list_display = ("__str__", "display_name", "state", "created_at", "approved_at")
    list_filter = ("state",)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.may_view(request):
            raise PermissionDenied
        item = get_object_or_404(Testimonial, pk=object_id)
        if request.method == "POST":
            try:
                services.decide_testimonial(item, request.user,
                                            request.POST.get("action") == "approve")
            except services.CommunityError as exc:
                messages.error(request, str(exc))
            return redirect("admin:community_testimonial_change", item.pk)
        return _page(self, request, "admin/community/testimonial.html",
                     {"title": str(item), "item": item})


def _target(req):
    model = Post if req.target_kind == "post" else Testimonial
    return model.objects.filter(pk=req.target_id).first()


@admin.register(RemovalRequest)
class RemovalRequestAdmin(ReadOnlyAdmin):
    roles_allowed = ROLES
    list_display = ("__str__", "target_kind", "target_id", "status", "created_at",
                    "decided_at")
    list_filter = ("status", "target_kind")

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [path("from-ticket/<int:ticket_pk>/", wrap(self.from_ticket_view),
                     name="community_removalrequest_from_ticket"), *super().get_urls()]

    def from_ticket_view(self, request, ticket_pk: int):
        """Record a removal request that came by mail, from its abuse ticket."""
        if not self.may_view(request):
            raise PermissionDenied
        ticket = get_object_or_404(Ticket, pk=ticket_pk)
        form, status = RecordForm(request.POST or None), 200
        if request.method == "POST":
            status = 400
            if form.is_valid():
                try:
                    req = services.record_from_ticket(ticket, request.user,
                                                      form.cleaned_data["url"],
                                                      form.cleaned_data["what"])
                except PermissionError:
                    raise PermissionDenied from None
                except services.CommunityError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, str(exc))
                else:
                    messages.success(request, f"Recorded as {req.reference}.")
                    return redirect("admin:community_removalrequest_change", req.pk)
        return _page(self, request, "admin/community/from_ticket.html", {
            "title": f"Record {ticket.reference} as a removal request", "ticket": ticket,
            "form": form}, status)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.may_view(request):
            raise PermissionDenied
        req = get_object_or_404(RemovalRequest.objects.select_related("ticket"), pk=object_id)
        target = _target(req)
        initial = {"body": getattr(target, "body", getattr(target, "text", ""))}
        form, status = DecideForm(request.POST or None, initial=initial), 200
        if request.method == "POST":
            status = 400
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.decide_removal(req, request.user, data["outcome"],
                                            body=data["body"], reason=data["reason"],
                                            reason_text=data["reason_text"])
                except services.CommunityError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, str(exc))
                else:
                    messages.success(request, f"{req.reference} decided; the requester is told.")
                    return redirect("admin:community_removalrequest_change", req.pk)
        audit.record(audit.actor_of(request.user), "staff.read", req.subject_id,
                     ["requester_email", "what"], req.reference)
        return _page(self, request, "admin/community/removal.html", {
            "title": f"Removal request {req.reference}", "req": req, "target": target,
            "form": form}, status)


register_ticket_action(
    "Record as a removal request",
    lambda ticket: reverse("admin:community_removalrequest_from_ticket", args=[ticket.pk]),
    queues=("abuse",))
