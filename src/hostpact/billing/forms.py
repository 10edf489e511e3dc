"""Forms of the billing pages; the API checks its bodies with the same rules."""

from django import forms
from django.core.exceptions import ValidationError

from hostpact.accounts import validation
from hostpact.billing.services import MAX_QUANTITY


class OrderForm(forms.Form):
    """Confirm an order; the quantity matters only for per-unit products (mailboxes)."""

    quantity = forms.IntegerField(label="Quantity", min_value=1, max_value=MAX_QUANTITY,
                                  initial=1)


class BillingAddressForm(forms.Form):
    """Whom invoices are made out to when that is not the subscriber's own postal address."""

    name = forms.CharField(label="Name on invoices", max_length=200)
    company = forms.CharField(label="Company", max_length=200, required=False)
    line1 = forms.CharField(label="Address line 1", max_length=200)
    line2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    city = forms.CharField(label="City", max_length=100)
    region = forms.CharField(label="State or region", max_length=100, required=False)
    postal_code = forms.CharField(label="Postal code", max_length=20)
    country = forms.ChoiceField(label="Country", choices=validation.country_choices,
                                initial="IN")
    email = forms.EmailField(label="Email for invoices", max_length=254, required=False,
                             help_text="Leave empty to receive invoices at your account email.")

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError("Enter the name to put on invoices.")
        return name

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        for key in ("company", "line1", "line2", "city", "region"):
            if isinstance(data.get(key), str):
                data[key] = " ".join(data[key].split())
        if data.get("line1") == "":
            self.add_error("line1", "Enter the first line of the address.")
        if data.get("city") == "":
            self.add_error("city", "Enter the city.")
        country = data.get("country")
        if country and data.get("postal_code"):
            try:
                data["postal_code"] = validation.clean_postal_code(data["postal_code"], country)
            except ValidationError as exc:
                self.add_error("postal_code", exc)
        return data
