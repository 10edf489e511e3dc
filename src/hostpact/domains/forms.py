"""Forms of the domains app; the API validates its bodies with these same forms."""

import re

from django import forms

from hostpact.accounts.forms import ContactFields
from hostpact.domains.models import MAX_NAMESERVERS


class ContactForm(ContactFields):
    """A domain contact: the subscriber's contact fields, an organization and an email."""

    organization = forms.CharField(label="Organization", max_length=200, required=False)
    email = forms.EmailField(label="Email", max_length=254)
    field_order = ["name", "organization", "email", "phone"]  # then the address


class NameserversForm(forms.Form):
    """A domain's name servers: up to 13 rows of a host and, for a host inside the domain, its
    glue addresses. Blank rows are skipped; the rules (2–13, glue) are the service's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(MAX_NAMESERVERS):
            self.fields[f"host_{i}"] = forms.CharField(
                label=f"Name server {i + 1}", max_length=253, required=False)
            self.fields[f"glue_{i}"] = forms.CharField(
                label=f"Glue addresses of name server {i + 1}", max_length=500, required=False,
                help_text="Only for a host inside this domain: its IPv4/IPv6 addresses, "
                          "separated by spaces or commas.")

    @staticmethod
    def initial_for(nameservers) -> dict:
        """Return the form's initial values from a domain's ``Nameserver`` rows."""
        out = {}
        for i, ns in enumerate(nameservers):
            out[f"host_{i}"], out[f"glue_{i}"] = ns.host, " ".join(ns.addresses)
        return out

    def rows(self) -> list[tuple]:
        return [(self[f"host_{i}"], self[f"glue_{i}"]) for i in range(MAX_NAMESERVERS)]

    def nameservers(self) -> tuple[list[dict], list[int]]:
        """Return the filled rows as ``{host, addresses}`` and the row number of each."""
        items, positions = [], []
        for i in range(MAX_NAMESERVERS):
            host = self.cleaned_data.get(f"host_{i}", "").strip()
            glue = self.cleaned_data.get(f"glue_{i}", "").strip()
            if host or glue:
                items.append({"host": host, "addresses": [a for a in re.split(r"[\s,]+", glue)
                                                          if a]})
                positions.append(i)
        return items, positions
