"""Forms of the support desk: the public contact form, and staff's answer and request forms."""

from django import forms

from hostpact.privacy.subject_requests.models import DataSubjectRequest as DSR
from hostpact.support.models import Ticket

TOPICS = [
    (Ticket.Queue.SUPPORT, "A question about my account, services or an order"),
    (Ticket.Queue.ABUSE, "Report abuse (spam, phishing, malware) from a site we host"),
    (Ticket.Queue.COMPLIANCE, "My personal data or our privacy policy"),
]


class ContactForm(forms.Form):
    """Write to the support desk from the web; the answer comes by mail."""

    name = forms.CharField(max_length=200, label="Your name")
    email = forms.EmailField(max_length=254, label="Your email address",
                             help_text="We answer at this address.")
    topic = forms.ChoiceField(choices=TOPICS, label="What is it about?",
                              help_text="It goes to the desk that handles it.")
    subject = forms.CharField(max_length=200, label="Subject")
    message = forms.CharField(max_length=20_000, label="Your message",
                              widget=forms.Textarea(attrs={"rows": 8}))

    def clean_message(self):
        text = (self.cleaned_data.get("message") or "").strip()
        if not text:
            raise forms.ValidationError("Write your message.")
        return text


class AnswerForm(forms.Form):
    body = forms.CharField(max_length=100_000, label="Your answer",
                           help_text="Sent by mail to the address the last message came from.",
                           widget=forms.Textarea(attrs={"rows": 10}))


class RequestForm(forms.Form):
    kind = forms.ChoiceField(choices=DSR.Kind.choices, label="The right asked for")
