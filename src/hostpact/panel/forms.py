"""The sign-up form: the account's contact fields and the card, validated together.

The API's ``POST /api/v1/signup`` validates its body with this same form. The form has two
boxes about newsletters and promotions (C31), because the meaning of the box depends on the
country: where the marketing lists start subscribed the box declines them, where the law wants
them asked for first (``settings.MARKETING_OPT_IN_COUNTRIES``) the box asks for them. Both are
shown without JavaScript (the page's script hides the one that does not apply); the POSTed
country decides which one counts, as ``marketing``: True (asked for), False (declined) or None
(the country's default).
"""

from django import forms
from django.contrib.auth import password_validation

from hostpact.accounts import validation
from hostpact.accounts.forms import ContactFields
from hostpact.billing.forms import CardForm
from hostpact.marketing.services import opt_in_country


class SignupForm(ContactFields, CardForm):
    email = forms.EmailField(label="Email address", max_length=254)
    date_of_birth = forms.DateField(label="Date of birth",
                                    widget=forms.DateInput(attrs={"type": "date"}))
    password = forms.CharField(label="Password", strip=False, max_length=128,
                               widget=forms.PasswordInput(render_value=False))
    marketing_decline = forms.BooleanField(
        required=False, label="No newsletters or promotions, please",
        help_text="For addresses outside the EEA and the UK: new subscribers receive our "
                  "newsletters and news of promotions, ours and our partners' (sent by us; "
                  "partners never get your address). Tick to decline them.")
    marketing_opt_in = forms.BooleanField(
        required=False, label="Yes, send me newsletters and promotions",
        help_text="For addresses in the EEA and the UK: we send newsletters and promotions, "
                  "ours and our partners' (sent by us), only if you ask. Tick to receive them.")

    field_order = ["name", "email", "phone", "date_of_birth", "line1", "line2", "city",
                   "region", "postal_code", "country", "password", "card_number",
                   "card_exp_month", "card_exp_year", "card_cvc"]

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

    def clean(self):
        data = super().clean()
        if opt_in_country(data.get("country") or ""):
            data["marketing"] = True if data.get("marketing_opt_in") else None
        else:
            data["marketing"] = False if data.get("marketing_decline") else None
        return data
