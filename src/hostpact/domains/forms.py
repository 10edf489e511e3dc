"""Forms of the domains app; the API validates its bodies with these same forms."""

from django import forms

from hostpact.accounts.forms import ContactFields


class ContactForm(ContactFields):
    """A domain contact: the subscriber's contact fields, an organization and an email."""

    organization = forms.CharField(label="Organization", max_length=200, required=False)
    email = forms.EmailField(label="Email", max_length=254)
    field_order = ["name", "organization", "email", "phone"]  # then the address
