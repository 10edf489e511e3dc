"""The form a business fills in to become a reseller (staff approve it)."""

from django import forms


class ApplicationForm(forms.Form):
    name = forms.CharField(label="Business name (legal)", max_length=120)
    brand_name = forms.CharField(label="Brand your customers will see", max_length=80)
    host = forms.CharField(label="Host name of your storefront", max_length=253,
                           help_text="For example shop.example; point it at the platform once "
                                     "approved.")
    country = forms.CharField(label="Country (ISO code)", max_length=2, initial="IN",
                              help_text="Your business days follow its public holidays.")
    support_email = forms.EmailField(label="Support address your customers write to")
    controller_name = forms.CharField(label="Data controller contact (name or role)",
                                      max_length=120)
    controller_email = forms.EmailField(label="Data controller email")
    controller_address = forms.CharField(label="Data controller postal address",
                                         widget=forms.Textarea(attrs={"rows": 3}),
                                         max_length=500)
    agree = forms.BooleanField(
        label="We accept the reseller agreement: we direct the collection of our customers' "
              "data and answer their requests as its controller.")
