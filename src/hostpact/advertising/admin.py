"""Back office of advertising, for staff with the marketing or compliance role (and superusers).

The list shows the advertisers' campaigns; "Add" creates one for an advertiser recipient; a
campaign's page defines its audience (whose size shows only as "at least 100", or the
refusal), uploads creatives, activates, pauses or ends it, shows its report with cells under
100 suppressed, and downloads the report for the advertiser, which goes through the disclosure
gate first (its refusal is shown and nothing is downloaded). Every button runs a service.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from hostpact.advertising import report as report_
from hostpact.advertising import selection, services
from hostpact.advertising.audience import AudienceRefused
from hostpact.advertising.forms import AudienceForm, CampaignForm, CreativeForm
from hostpact.advertising.models import AdCampaign
from hostpact.core import audit
from hostpact.privacy.admin_base import ReadOnlyAdmin
from hostpact.privacy.aggregates import ADVERTISER
from hostpact.privacy.disclosures.services import DisclosureRefused

STATES = {"activate": services.activate_campaign, "pause": services.pause_campaign,
          "end": services.end_campaign}


def _size_text(campaign) -> str:
    if not campaign.audience_defined:
        return "No audience defined yet."
    return f"The audience has at least {ADVERTISER} subscribers."


@admin.register(AdCampaign)
class AdCampaignAdmin(ReadOnlyAdmin):
    roles_allowed = ("marketing", "compliance")
    list_display = ("__str__", "name", "advertiser", "state", "starts_on", "ends_on")
    list_filter = ("state", "advertiser")

    def has_add_permission(self, request, *args):
        return self.may_view(request)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.may_view(request):
            raise PermissionDenied
        form = CampaignForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                campaign = services.create_campaign(
                    data["advertiser"], data["name"], data["starts_on"], data["ends_on"],
                    actor=audit.actor_of(request.user))
            except services.CampaignRefused as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, "The campaign is created as a draft.")
                return redirect("admin:advertising_adcampaign_change", campaign.pk)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": "New ad campaign", "form": form}
        return TemplateResponse(request, "advertising/new.html", context,
                                status=400 if form.errors else 200)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.may_view(request):
            raise PermissionDenied
        campaign = get_object_or_404(AdCampaign.objects.select_related("advertiser"),
                                     pk=object_id)
        action = request.POST.get("action", "") if request.method == "POST" else ""
        audience_form = AudienceForm(request.POST if action == "audience" else None,
                                     initial=AudienceForm.initial_for(campaign))
        creative_form = CreativeForm(request.POST if action == "creative" else None,
                                     request.FILES if action == "creative" else None)
        actor = audit.actor_of(request.user)
        status = 200
        if action == "download":
            try:
                body = services.download_report(campaign, actor=actor)
            except DisclosureRefused as exc:
                messages.error(request, f"The report was not produced: {exc.reason}")
                return redirect("admin:advertising_adcampaign_change", campaign.pk)
            response = HttpResponse(body, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = (f'attachment; filename="ad-campaign-'
                                               f'{campaign.pk}-report.csv"')
            return response
        if action in STATES:
            try:
                STATES[action](campaign, actor=actor)
            except (services.CampaignRefused, AudienceRefused) as exc:
                messages.error(request, str(exc))
            else:
                selection.clear_cache()  # this process shows the change at once
                messages.success(request, "The campaign's state is changed.")
            return redirect("admin:advertising_adcampaign_change", campaign.pk)
        if action == "audience" and audience_form.is_valid():
            try:
                services.define_audience(campaign, audience_form.audience(), actor=actor)
            except AudienceRefused as exc:
                audience_form.add_error(exc.field if exc.field in audience_form.fields
                                        else None, str(exc))
            else:
                messages.success(request, f"Audience saved: at least {ADVERTISER} subscribers.")
                return redirect("admin:advertising_adcampaign_change", campaign.pk)
        if action == "creative" and creative_form.is_valid():
            data = creative_form.cleaned_data
            try:
                services.upload_creative(campaign, data["image"], data["alt_text"],
                                         data["target_url"], actor=actor)
            except services.CampaignRefused as exc:
                creative_form.add_error(exc.field if exc.field in creative_form.fields
                                        else None, str(exc))
            else:
                messages.success(request, "The creative is uploaded.")
                return redirect("admin:advertising_adcampaign_change", campaign.pk)
        if audience_form.errors or creative_form.errors:
            status = 400
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": f"Ad campaign {campaign.pk}: {campaign.name}",
                   "campaign": campaign, "size_text": _size_text(campaign),
                   "audience_form": audience_form, "creative_form": creative_form,
                   "creatives": campaign.creatives.only("pk", "extension", "alt_text",
                                                        "target_url", "width", "height"),
                   "report": report_.report(campaign), "threshold": ADVERTISER}
        return TemplateResponse(request, "advertising/campaign.html", context, status=status)
