"""Forms of the reseller panel and API: a new customer, a key, a member, the brand and
settings. The API validates its bodies with these same forms, so both refuse alike."""

from django import forms
from django.contrib.auth import password_validation

from hostpact.accounts import validation
from hostpact.accounts.forms import ContactFields
from hostpact.resellers.models import ApiKey, Membership
from hostpact.resellers.services.brand import SETTINGS as SETTINGS_FIELDS
from hostpact.resellers.services.keys import MAX_DAYS

LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
MAX_LOGO = 200 * 1024
__all__ = ["SETTINGS_FIELDS", "CustomerForm", "KeyForm", "MemberForm", "PriceForm",
           "SearchForm", "SettingsForm"]


class CustomerForm(ContactFields):
    """The sign-up fields without the card: a reseller bills its customers itself."""

    email = forms.EmailField(label="Email address", max_length=254)
    date_of_birth = forms.DateField(label="Date of birth",
                                    widget=forms.DateInput(attrs={"type": "date"}))
    password = forms.CharField(label="Password", strip=False, max_length=128,
                               widget=forms.PasswordInput(render_value=False),
                               help_text="The customer's first password; they can change it.")

    field_order = ["name", "email", "phone", "date_of_birth", "line1", "line2", "city",
                   "region", "postal_code", "country", "password"]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_date_of_birth(self):
        birth = self.cleaned_data["date_of_birth"]
        validation.check_birth_date(birth)
        return birth

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password


class SearchForm(forms.Form):
    q = forms.CharField(label="Customer ID or exact email address", max_length=254,
                        required=False)


class KeyForm(forms.Form):
    name = forms.CharField(label="Name", max_length=80,
                           help_text="What uses the key, e.g. the billing system.")
    scopes = forms.MultipleChoiceField(label="Scopes", widget=forms.CheckboxSelectMultiple,
                                       choices=[(s, s) for s in ApiKey.SCOPES])
    ip_ranges = forms.CharField(label="IP ranges", required=False, widget=forms.Textarea(
        attrs={"rows": 3}), help_text="One CIDR range a line (203.0.113.0/24); empty: any.")
    days = forms.IntegerField(label="Valid for (days)", min_value=1, max_value=MAX_DAYS,
                              initial=90)

    def clean_ip_ranges(self):
        return [line.strip() for line in self.cleaned_data["ip_ranges"].splitlines()
                if line.strip()]


class MemberForm(forms.Form):
    email = forms.EmailField(label="Email address of their account", max_length=254)
    role = forms.ChoiceField(label="Role", choices=Membership.Role.choices)


def _logo_type(data: bytes) -> str:
    for magic, kind in LOGO_TYPES.items():
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return ""


class SettingsForm(forms.Form):
    brand_name = forms.CharField(label="Brand name", max_length=80)
    primary_colour = forms.RegexField(label="Primary colour", regex=r"^#[0-9a-fA-F]{6}$",
                                      help_text="Like #0b5cad.",
                                      widget=forms.TextInput(attrs={"type": "color"}))
    accent_colour = forms.RegexField(label="Accent colour", regex=r"^#[0-9a-fA-F]{6}$",
                                     help_text="Like #f2f6fb.",
                                     widget=forms.TextInput(attrs={"type": "color"}))
    logo = forms.FileField(label="Logo", required=False,
                           help_text="PNG, JPEG or WebP, up to 200 KB.")
    support_email = forms.EmailField(label="Support email", max_length=254)
    controller_name = forms.CharField(label="Data controller contact", max_length=120)
    controller_email = forms.EmailField(label="Data controller email", max_length=254)
    controller_address = forms.CharField(label="Data controller address",
                                         widget=forms.Textarea(attrs={"rows": 3}))
    policy_additions = forms.CharField(label="Privacy policy additions", required=False,
                                       widget=forms.Textarea(attrs={"rows": 6}),
                                       help_text="Markdown, shown after our commitments.")
    markup_percent = forms.DecimalField(label="Markup (%)", min_value=0, max_value=1000,
                                        max_digits=6, decimal_places=2)

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > MAX_LOGO:
            raise forms.ValidationError("The logo is larger than 200 KB.")
        data = upload.read()
        kind = _logo_type(data)
        if not kind:
            raise forms.ValidationError("The logo must be a PNG, JPEG or WebP image.")
        return data, kind


class PriceForm(forms.Form):
    price = forms.TypedChoiceField(label="Catalogue price", coerce=int)
    amount = forms.DecimalField(label="Your price", min_value=0, max_digits=10,
                                decimal_places=2)

    def __init__(self, *args, prices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["price"].choices = [(p.pk, str(p)) for p in prices]
