"""The back office's forms: a campaign, its audience, a creative."""

from django import forms

from hostpact.advertising import profiles, services
from hostpact.advertising.audience import LABELS
from hostpact.privacy.disclosures.models import Recipient


class CampaignForm(forms.Form):
    advertiser = forms.ModelChoiceField(
        label="Advertiser", queryset=Recipient.objects.none(),
        help_text="A recipient of kind advertiser, with an advertising agreement valid today.")
    name = forms.CharField(label="Campaign name", max_length=120)
    starts_on = forms.DateField(label="Starts on", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="Ends on", required=False,
                              widget=forms.DateInput(attrs={"type": "date"}),
                              help_text="Empty: until ended.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advertiser"].queryset = services.advertisers()


def _choices(key: str):
    return [(v, v) for v in profiles.vocabularies()[key]]


class AudienceForm(forms.Form):
    """Every question optional: a question left empty accepts anyone."""

    age_bands = forms.MultipleChoiceField(label=LABELS["age_bands"], required=False,
                                          widget=forms.CheckboxSelectMultiple,
                                          choices=lambda: _choices("age_bands"))
    genders = forms.MultipleChoiceField(label=LABELS["genders"], required=False,
                                        widget=forms.CheckboxSelectMultiple,
                                        choices=lambda: _choices("genders"))
    countries = forms.CharField(label=LABELS["countries"], required=False, max_length=300,
                                help_text="Two-letter codes separated by commas, such as IN, "
                                          "LK; empty: any country.")
    org_types = forms.MultipleChoiceField(label=LABELS["org_types"], required=False,
                                          widget=forms.CheckboxSelectMultiple,
                                          choices=lambda: _choices("org_types"))
    products = forms.MultipleChoiceField(label=LABELS["products"], required=False,
                                         widget=forms.CheckboxSelectMultiple,
                                         choices=lambda: _choices("products"),
                                         help_text="Holds an active service of any of these.")

    def audience(self) -> dict:
        data = self.cleaned_data
        out = {k: list(data.get(k) or []) for k in ("age_bands", "genders", "org_types",
                                                    "products")}
        out["countries"] = [c.strip() for c in (data.get("countries") or "").split(",")
                            if c.strip()]
        return out

    @classmethod
    def initial_for(cls, campaign) -> dict:
        audience = dict(campaign.audience or {})
        audience["countries"] = ", ".join(audience.get("countries") or [])
        return audience


class CreativeForm(forms.Form):
    image = forms.FileField(label="Image", help_text="PNG, JPEG, GIF or WebP; at most 150 KB "
                                                     "and 1200×1200 pixels.")
    alt_text = forms.CharField(label="Image description (alt text)", max_length=200)
    target_url = forms.CharField(label="Link (the advertiser's page)", max_length=500,
                                 help_text="https:// or http://; used exactly as given.")
