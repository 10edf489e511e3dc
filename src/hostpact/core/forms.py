"""The postal address form: one set of fields and one cleaning for every address entered.

The profile, the sign-up and the billing address forms inherit it (and the API validates its
bodies with those forms), so an address refused in one place is refused, with the same
message, in all of them.
"""

from django import forms
from django.core.exceptions import ValidationError

from hostpact.core import validation

SINGLE_SPACED = ("line1", "line2", "city", "region")


class AddressForm(forms.Form):
    """A postal address: the fields of ``core.models.PostalAddress``."""

    line1 = forms.CharField(label="Address line 1", max_length=200)
    line2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    city = forms.CharField(label="City", max_length=100)
    region = forms.CharField(label="State or region", max_length=100, required=False)
    postal_code = forms.CharField(label="Postal code", max_length=20)
    country = forms.ChoiceField(label="Country", choices=validation.country_choices,
                                initial="IN")

    def clean(self):
        data = super().clean()
        for name in SINGLE_SPACED:
            if isinstance(data.get(name), str):
                data[name] = validation.single_spaced(data[name])
        # The postal code is checked here, not in its own clean_ method: its format depends
        # on the country, which is cleaned after it.
        country = data.get("country")
        if country and data.get("postal_code"):
            try:
                data["postal_code"] = validation.clean_postal_code(data["postal_code"], country)
            except ValidationError as exc:
                self.add_error("postal_code", exc)
        return data
