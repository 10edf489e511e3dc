"""Forms of the policy app: questions about the policy, opt-outs, and publishing a version."""

from django import forms
from django.utils import timezone

from hostpact.privacy.policy import services


class InquiryForm(forms.Form):
    """A question about the privacy policy, for the legal department (C37)."""

    name = forms.CharField(max_length=200, label="Your name")
    email = forms.EmailField(max_length=254, label="Your email address",
                             help_text="We answer at this address.")
    question = forms.CharField(max_length=5000, label="Your question",
                               widget=forms.Textarea(attrs={"rows": 6}))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter your name.")
        return name

    def clean_question(self):
        question = self.cleaned_data["question"].strip()
        if len(question) < 10:
            raise forms.ValidationError("Write your question in at least 10 characters.")
        return question


class UseSwitchForm(forms.Form):
    """One switch of the panel: a use and whether it stays on."""

    use = forms.CharField(max_length=200)
    on = forms.TypedChoiceField(choices=[("1", "on"), ("0", "off")], coerce=lambda v: v == "1")


class OptOutForm(forms.Form):
    """The uses of one version to opt out of (from the notice's link)."""

    uses = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple,
                                     label="Opt me out of")

    def __init__(self, version, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["uses"].choices = [(u, f"{services.use_description(u)} ({u})")
                                       for u in version.new_uses]
        self.fields["uses"].initial = list(version.new_uses)


class PublishVersionForm(forms.Form):
    """What staff fill in to publish a version; the checks are the service's."""

    title = forms.CharField(max_length=200)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 30, "cols": 100}),
                           help_text="Markdown: # headings, paragraphs, - or 1. lists.")
    effective_at = forms.DateTimeField(
        help_text="When it takes effect (a material change: at least the notice period away).")
    material = forms.BooleanField(required=False,
                                  help_text="A material change is notified to every subscriber.")
    new_uses = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="Data use keys it adds, one per line "
                                         "(e.g. marketing.advertising.first_party).")
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="What changed, in plain words (goes into the notice).")

    def clean_new_uses(self):
        return [line.strip() for line in self.cleaned_data["new_uses"].splitlines()
                if line.strip()]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        effective_at = data.get("effective_at")
        if effective_at is not None and timezone.is_naive(effective_at):
            effective_at = timezone.make_aware(effective_at)
            data["effective_at"] = effective_at
        for field, messages in services.check_version(
                title=data.get("title", ""), text=data.get("text", ""),
                effective_at=effective_at, material=data.get("material", False),
                new_uses=data.get("new_uses", [])).items():
            for message in messages:
                self.add_error(field, message)
        return data
