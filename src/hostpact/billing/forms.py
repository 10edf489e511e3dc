"""Forms of the billing pages; the API checks its bodies with the same rules."""

from django import forms
from django.core.exceptions import ValidationError

from hostpact.billing.gateway import CardError, check_card
from hostpact.billing.services import MAX_QUANTITY
from hostpact.core.forms import AddressForm
from hostpact.core.validation import single_spaced


class NoEchoInput(forms.TextInput):
    """A text input that never writes the submitted value back into the page (card numbers)."""

    def format_value(self, value):
        return None


class CardForm(forms.Form):
    """A card, at sign-up or as a replacement; the number and CVC are never written back into
    the page."""

    card_number = forms.CharField(label="Card number", max_length=23,
                                  widget=NoEchoInput(attrs={"autocomplete": "cc-number",
                                                            "inputmode": "numeric"}))
    card_exp_month = forms.IntegerField(label="Expiry month", min_value=1, max_value=12)
    card_exp_year = forms.IntegerField(label="Expiry year", min_value=2000, max_value=2100)
    card_cvc = forms.CharField(label="Security code (CVC)", max_length=4, strip=True,
                               widget=forms.PasswordInput(render_value=False,
                                                          attrs={"autocomplete": "cc-csc"}))

    def clean(self):
        data = super().clean()
        card = [data.get(k) for k in ("card_number", "card_exp_month", "card_exp_year", "card_cvc")]
        if all(v is not None for v in card):
            try:
                data["card_number"] = check_card(*card)
            except CardError as exc:
                self.add_error(f"card_{exc.field}", str(exc))
        return data


class OrderForm(forms.Form):
    """Confirm an order; the quantity matters only for per-unit products (mailboxes)."""

    quantity = forms.IntegerField(label="Quantity", min_value=1, max_value=MAX_QUANTITY,
                                  initial=1)


class BillingAddressForm(AddressForm):
    """Whom invoices are made out to when that is not the subscriber's own postal address."""

    name = forms.CharField(label="Name on invoices", max_length=200)
    company = forms.CharField(label="Company", max_length=200, required=False)
    email = forms.EmailField(label="Email for invoices", max_length=254, required=False,
                             help_text="Leave empty to receive invoices at your account email.")
    field_order = ["name", "company"]  # then the address, then the email

    def clean_name(self):
        name = single_spaced(self.cleaned_data["name"])
        if not name:
            raise ValidationError("Enter the name to put on invoices.")
        return name

    def clean_company(self):
        return single_spaced(self.cleaned_data["company"])

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
