"""Forms of the policy app: questions about the policy, opt-outs, and publishing a version."""

from django import forms

from hostpact.privacy.policy import services
from hostpact.privacy.policy.models import PolicyVersion


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


class PublishVersionForm(forms.ModelForm):
    """What compliance fills in to publish a version (the back office's add page); the checks
    are the service's, so the form and ``publish_version`` cannot disagree."""

    new_uses = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="Data use keys it adds, one per line "
                                         "(e.g. marketing.advertising.first_party).")

    class Meta:
        model = PolicyVersion
        fields = ["title", "text", "effective_at", "material", "new_uses", "summary"]
        widgets = {"text": forms.Textarea(attrs={"rows": 30, "cols": 100})}

    def clean_new_uses(self):
        return [line.strip() for line in (self.cleaned_data["new_uses"] or "").splitlines()
                if line.strip()]

    def clean(self):
        data = super().clean()
        if "effective_at" not in data or self.errors:
            return data
        for field, messages in services.check_version(
                title=data.get("title", ""), text=data.get("text", ""),
                effective_at=data["effective_at"], material=data.get("material", False),
                new_uses=data.get("new_uses", [])).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return data
