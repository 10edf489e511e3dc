"""Forms of the privacy complaints: the third party's complaint and the customer's answer."""

from django import forms

from hostpact.domains.complaints.services import (
    MAX_EVIDENCE_BYTES,
    ComplaintRefused,
    evidence_type,
)


def _stripped(form, name: str, message: str, minimum: int = 1) -> str:
    value = (form.cleaned_data.get(name) or "").strip()
    if len(value) < minimum:
        raise forms.ValidationError(message)
    return value


class ComplaintForm(forms.Form):
    """A complaint about a domain that uses our privacy service (policy 4.8)."""

    domain = forms.CharField(max_length=253, label="Domain name",
                             help_text="The domain you complain about, e.g. shop.example.")
    name = forms.CharField(max_length=200, label="Your name")
    organization = forms.CharField(max_length=200, required=False,
                                   label="Organisation (optional)")
    email = forms.EmailField(max_length=254, label="Your email address",
                             help_text="We write to you here at each step.")
    phone = forms.CharField(max_length=40, required=False, label="Phone (optional)")
    address = forms.CharField(max_length=500, required=False, label="Postal address (optional)",
                              widget=forms.Textarea(attrs={"rows": 3}))
    grounds = forms.CharField(max_length=5000, label="Grounds of the complaint",
                              help_text="What the domain is used for and why it harms you.",
                              widget=forms.Textarea(attrs={"rows": 6}))
    reference = forms.CharField(max_length=200, required=False,
                                label="Your reference (optional)",
                                help_text="A case, trademark or notice number.")

    def clean_domain(self):
        return _stripped(self, "domain", "Enter the domain name.")

    def clean_name(self):
        return _stripped(self, "name", "Enter your name.")

    def clean_grounds(self):
        return _stripped(self, "grounds", "Describe the grounds in at least 20 characters.", 20)


class AnswerForm(forms.Form):
    """The customer's assurances: indemnity and written confirmation of the contact."""

    statement = forms.CharField(
        max_length=5000, label="Your written confirmation",
        help_text="How and when you contacted the complainant and gave them your contact "
                  "information.", widget=forms.Textarea(attrs={"rows": 6}))
    indemnity = forms.BooleanField(
        label="I accept to indemnify hostpact against claims arising from this domain's use")
    evidence = forms.FileField(
        required=False, label="Proof of the contact (optional)",
        help_text="PDF, PNG, JPEG or plain text, up to 5 MB.")

    def clean_statement(self):
        return _stripped(self, "statement", "Write how and when you contacted the complainant "
                                            "(at least 20 characters).", 20)

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if not upload:
            return None
        if upload.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB.")
        data = upload.read()
        try:
            evidence_type(data)
        except ComplaintRefused as exc:
            raise forms.ValidationError(str(exc)) from None
        return (upload.name, data)
