"""The campaign editor's form: list, subject line, Markdown body, segment and send time."""

from django import forms

from hostpact.billing.models import Product
from hostpact.campaigns import segments


def _list_choices():
    return [(m.key, m.title) for m in segments.promotional_lists()]


def _product_choices():
    return [("", "Any product"), *Product.objects.filter(active=True)
            .order_by("sort_order", "code").values_list("code", "name")]


class CampaignForm(forms.Form):
    list_key = forms.ChoiceField(label="List", choices=_list_choices,
                                 help_text="Who may be reached: only subscribers of this list.")
    subject_line = forms.CharField(label="Subject line", max_length=200)
    body = forms.CharField(label="Body (Markdown)", widget=forms.Textarea(attrs={"rows": 14}),
                           help_text="CommonMark with tables. The reason for receiving it and "
                                     "the unsubscribe link are added to every message.")
    product = forms.ChoiceField(label="Segment: has an active service of", required=False,
                                choices=_product_choices)
    country = forms.CharField(label="Segment: country of the address", required=False,
                              max_length=2, help_text="Two letters, such as IN; empty: any.")
    signed_up_after = forms.DateField(label="Segment: signed up on or after", required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    signed_up_before = forms.DateField(label="Segment: signed up before", required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}))
    scheduled_at = forms.DateTimeField(
        label="Send at (for Schedule)", required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Local time (Asia/Kolkata).")

    def segment(self) -> dict:
        """Return the segment part of the cleaned data."""
        data = self.cleaned_data
        return {k: data[k] for k in segments.SEGMENT_KEYS if data.get(k)}

    def campaign_fields(self) -> dict:
        """Return the cleaned data as the campaign services take it."""
        data = self.cleaned_data
        return {"list_key": data["list_key"], "subject_line": data["subject_line"],
                "body": data["body"], "segment": self.segment()}

    @classmethod
    def initial_for(cls, campaign) -> dict:
        """Return the form's initial data for an existing campaign."""
        return {"list_key": campaign.list_key, "subject_line": campaign.subject_line,
                "body": campaign.body, "scheduled_at": campaign.scheduled_at,
                **campaign.segment}
