"""Back office of campaigns, for staff with the marketing role (and superusers).

The list shows campaigns; "Add" and a draft's change page are the editor (list, subject
line, Markdown body, segment, and the buttons Save, Preview, Send a test, Schedule, Send now,
Cancel), showing the rendered preview and how many subscribers the campaign reaches now. A
campaign that has started sending opens on its report. Every button runs a service; staff
never edit rows by hand.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.safestring import mark_safe

from hostpact.campaigns import report as report_
from hostpact.campaigns import services
from hostpact.campaigns.forms import CampaignForm
from hostpact.campaigns.models import Campaign
from hostpact.campaigns.segments import count_segment
from hostpact.core import audit
from hostpact.privacy.admin_base import ReadOnlyAdmin
from hostpact.privacy.aggregates import suppressed

ACTIONS = ("save", "preview", "test", "schedule", "send", "cancel")


def _n(count: int) -> str:
    shown = suppressed(count)
    return "fewer than 10" if shown is None else str(shown)


def _reach_text(count: int) -> str:
    return f"This campaign reaches {_n(count)} subscriber{'' if count == 1 else 's'} now."


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    roles_allowed = ("marketing",)
    list_display = ("__str__", "subject_line", "list_key", "status", "scheduled_at",
                    "created_at")
    list_filter = ("status", "list_key")

    def has_add_permission(self, request, *args):
        return self.may_view(request)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [path("<int:pk>/report/", view(self.report_view),
                     name="campaigns_campaign_report"),
                path("<int:pk>/cancel/", view(self.cancel_view),
                     name="campaigns_campaign_cancel"),
                *super().get_urls()]

    def add_view(self, request, form_url="", extra_context=None):
        return self.editor(request, None)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.may_view(request):
            raise PermissionDenied
        campaign = get_object_or_404(Campaign, pk=object_id)
        if campaign.status not in services.EDITABLE:
            return redirect("admin:campaigns_campaign_report", campaign.pk)
        return self.editor(request, campaign)

    def _act(self, request, campaign, action: str, form) -> tuple[Campaign, str]:
        actor = audit.actor_of(request.user)
        if campaign is None:
            campaign = services.create_campaign(**form.campaign_fields(), actor=actor)
        elif action != "cancel":
            campaign = services.update_campaign(campaign.pk, **form.campaign_fields(),
                                                actor=actor)
        if action == "test":
            services.send_test(campaign.pk, request.user, actor=actor)
            return campaign, "A test was queued to your own address (not counted)."
        if action == "schedule":
            services.schedule_campaign(campaign.pk, form.cleaned_data.get("scheduled_at"),
                                       actor=actor)
            return campaign, "The campaign is scheduled."
        if action == "send":
            reach = services.queue_campaign(campaign.pk, actor=actor)
            return campaign, f"The campaign is sending to {_n(reach)} subscribers."
        if action == "cancel":
            services.cancel_campaign(campaign.pk, actor=actor)
            return campaign, "The campaign is cancelled."
        return campaign, "The campaign is saved."

    def editor(self, request, campaign):
        if not self.may_view(request):
            raise PermissionDenied
        initial = CampaignForm.initial_for(campaign) if campaign else {}
        form = CampaignForm(request.POST or None, initial=initial)
        action = request.POST.get("action", "save")
        if request.method == "POST" and action in ACTIONS and form.is_valid():
            try:
                with transaction.atomic():  # a refused step leaves the draft as it was
                    campaign, text = self._act(request, campaign, action, form)
            except services.CampaignRefused as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, text)
                campaign.refresh_from_db()  # the service moved it on
                if campaign.status in services.EDITABLE:
                    return redirect("admin:campaigns_campaign_change", campaign.pk)
                return redirect("admin:campaigns_campaign_report", campaign.pk)
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "campaign": campaign,
                   "title": f"Campaign {campaign.pk}" if campaign else "Write a campaign"}
        if campaign is not None:
            shown = services.preview(campaign)
            context.update(preview_subject=shown.subject_line, preview_text=shown.text,
                           preview_html=mark_safe(shown.html),  # noqa: S308 - sanitised by nh3
                           reach=_reach_text(count_segment(campaign.list_key, campaign.segment)))
        return TemplateResponse(request, "campaigns/editor.html", context,
                                status=400 if form.errors else 200)

    def report_view(self, request, pk: int):
        if not self.may_view(request):
            raise PermissionDenied
        campaign = get_object_or_404(Campaign, pk=pk)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": f"Report of campaign {campaign.pk}",
                   "report": report_.report(campaign), "campaign": campaign,
                   "can_cancel": campaign.status not in (Campaign.Status.SENT,
                                                         Campaign.Status.CANCELLED)}
        return TemplateResponse(request, "campaigns/report.html", context)

    def cancel_view(self, request, pk: int):
        if not self.may_view(request) or request.method != "POST":
            raise PermissionDenied
        try:
            services.cancel_campaign(pk, actor=audit.actor_of(request.user))
        except services.CampaignRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "The campaign is cancelled; nothing more of it is queued.")
        return redirect("admin:campaigns_campaign_report", pk)
