"""The back office's forms: a survey (title, introduction, segment, provider) and a question."""

from django import forms

from hostpact.billing.models import Product
from hostpact.campaigns import segments
from hostpact.privacy.disclosures.models import Recipient
from hostpact.surveys.models import Question


def _products():
    return [("", "Any product"), *Product.objects.filter(active=True)
            .order_by("sort_order", "code").values_list("code", "name")]


def _providers():
    return [("", "None: we send the invitations ourselves"), *Recipient.objects.filter(
        kind=Recipient.Kind.SERVICE_PROVIDER, role=Recipient.Role.SURVEY, active=True)
        .values_list("slug", "name")]


def _recipients():
    return list(Recipient.objects.filter(active=True).values_list("slug", "name"))


class SurveyForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    introduction = forms.CharField(label="Introduction", required=False,
                                   widget=forms.Textarea(attrs={"rows": 4}))
    provider = forms.ChoiceField(label="Run by", required=False, choices=_providers,
                                 help_text="A survey provider gets the invitees' addresses only "
                                           "through the disclosure gate.")
    product = forms.ChoiceField(label="Segment: has an active service of", required=False,
                                choices=_products)
    country = forms.CharField(label="Segment: country of the address", required=False,
                              max_length=2)
    signed_up_after = forms.DateField(label="Segment: signed up on or after", required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    signed_up_before = forms.DateField(label="Segment: signed up before", required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}))

    def fields_for_service(self) -> dict:
        """Return the cleaned data as the survey services take it."""
        data = self.cleaned_data
        return {"title": data["title"], "introduction": data["introduction"],
                "provider": data["provider"],
                "segment": {k: data[k] for k in segments.SEGMENT_KEYS if data.get(k)}}

    @classmethod
    def initial_for(cls, survey) -> dict:
        """Return the initial data for an existing survey."""
        return {"title": survey.title, "introduction": survey.introduction,
                "provider": survey.provider.slug if survey.provider else "", **survey.segment}


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=Question.Kind.choices)
    text = forms.CharField(label="Question", max_length=300)
    choices = forms.CharField(label="Choices (one a line)", required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    scale_min = forms.IntegerField(label="Scale from", initial=1, required=False)
    scale_max = forms.IntegerField(label="Scale to", initial=5, required=False)


class ChangeForm(forms.Form):
    text = forms.CharField(label="What we changed", widget=forms.Textarea(attrs={"rows": 4}))


class ImportForm(forms.Form):
    file = forms.FileField(label="Answers file (JSON or CSV)")


class ShareForm(forms.Form):
    recipient = forms.ChoiceField(label="Share with", choices=_recipients)
    fmt = forms.ChoiceField(label="Format", choices=[("json", "JSON"), ("csv", "CSV")])
