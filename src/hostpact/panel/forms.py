"""The sign-up form: the account's contact fields and the card, validated together.

The API's ``POST /api/v1/signup`` validates its body with this same form.
"""

from django import forms
from django.contrib.auth import password_validation

from hostpact.accounts import validation
from hostpact.accounts.forms import ContactFields
from hostpact.billing.forms import CardForm


class SignupForm(ContactFields, CardForm):
    email = forms.EmailField(label="Email address", max_length=254)
    date_of_birth = forms.DateField(label="Date of birth",
                                    widget=forms.DateInput(attrs={"type": "date"}))
    password = forms.CharField(label="Password", strip=False, max_length=128,
                               widget=forms.PasswordInput(render_value=False))

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
