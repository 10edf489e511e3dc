"""Forms of the WHOIS pages: the look-up, and the message forwarded to a domain's contact."""

from django import forms

from hostpact.rds.whois.lookup import MAX_QUERY_BYTES


class LookupForm(forms.Form):
    """One WHOIS query, as port 43 takes it."""

    q = forms.CharField(
        max_length=MAX_QUERY_BYTES, label="Domain name, name server or registrar",
        help_text="For example example.test, nameserver ns1.example.test or registrar 9995.",
        error_messages={"required": "Enter a domain name to look up."},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                      "spellcheck": "false"}))


class ContactForm(forms.Form):
    """A message forwarded to a domain's contact without showing their address."""

    sender_name = forms.CharField(max_length=200, label="Your name",
                                  error_messages={"required": "Enter your name."})
    sender_email = forms.EmailField(max_length=254, label="Your email address",
                                    help_text="The contact sees it and can answer you there.")
    message = forms.CharField(max_length=5000, label="Your message",
                              widget=forms.Textarea(attrs={"rows": 8}))

    def clean_sender_name(self):
        # One line: the name goes into the forwarded message's From line.
        return " ".join(self.cleaned_data["sender_name"].split())

    def clean_message(self):
        value = (self.cleaned_data.get("message") or "").strip()
        if len(value) < 10:
            raise forms.ValidationError("Write a message of at least 10 characters.")
        return value
