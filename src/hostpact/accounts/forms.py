"""Forms of the accounts app; the API validates its bodies with these same forms."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from hostpact.accounts import validation
from hostpact.billing.gateway import CardError, check_card


class NoEchoInput(forms.TextInput):
    """A text input that never writes the submitted value back into the page (card numbers)."""

    def format_value(self, value):
        return None


class ContactFields(forms.Form):
    """Name, phone and postal address, as a subscriber enters and corrects them."""

    name = forms.CharField(label="Full name", max_length=200)
    phone = forms.CharField(label="Phone number", max_length=32,
                            help_text="With country code, for example +91 98765 43210.")
    address_line1 = forms.CharField(label="Address line 1", max_length=200)
    address_line2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    city = forms.CharField(label="City", max_length=100)
    region = forms.CharField(label="State or region", max_length=100, required=False)
    postal_code = forms.CharField(label="Postal code", max_length=20)
    country = forms.ChoiceField(label="Country", choices=validation.country_choices,
                                initial="IN")

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError("Enter your name.")
        return name

    def clean(self):
        data = super().clean()
        country = data.get("country")
        if country and "phone" in data:
            try:
                data["phone"] = validation.clean_phone(data["phone"], country)
            except ValidationError as exc:
                self.add_error("phone", exc)
        if country and "postal_code" in data:
            try:
                data["postal_code"] = validation.clean_postal_code(data["postal_code"], country)
            except ValidationError as exc:
                self.add_error("postal_code", exc)
        return data


class SignupForm(ContactFields):
    email = forms.EmailField(label="Email address", max_length=254)
    date_of_birth = forms.DateField(label="Date of birth",
                                    widget=forms.DateInput(attrs={"type": "date"}))
    password = forms.CharField(label="Password", strip=False, max_length=128,
                               widget=forms.PasswordInput(render_value=False))
    card_number = forms.CharField(label="Card number", max_length=23,
                                  widget=NoEchoInput(attrs={"autocomplete": "cc-number",
                                                                "inputmode": "numeric"}))
    card_exp_month = forms.IntegerField(label="Expiry month", min_value=1, max_value=12)
    card_exp_year = forms.IntegerField(label="Expiry year", min_value=2000, max_value=2100)
    card_cvc = forms.CharField(label="Security code (CVC)", max_length=4, strip=True,
                               widget=forms.PasswordInput(render_value=False,
                                                          attrs={"autocomplete": "cc-csc"}))

    field_order = ["name", "email", "phone", "date_of_birth", "address_line1", "address_line2",
                   "city", "region", "postal_code", "country", "password", "card_number",
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
        card = [data.get(k) for k in ("card_number", "card_exp_month", "card_exp_year", "card_cvc")]
        if all(v is not None for v in card):
            try:
                data["card_number"] = check_card(*card)
            except CardError as exc:
                self.add_error(f"card_{exc.field}", str(exc))
        return data
