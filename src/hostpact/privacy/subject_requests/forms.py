"""Back-office forms for requests taken by support; each maps to one service call.

The correction form is not here: each app registers the form that corrects its model with its
corrector (``registry.corrector``), and ``correction_changes`` reads what staff changed in it.
"""

from django import forms

from hostpact.privacy import registry
from hostpact.privacy.subject_requests.models import DataSubjectRequest as DSR
from hostpact.privacy.subject_requests.services.fulfilment import corrects


class RecordRequestForm(forms.Form):
    customer = forms.CharField(label="Customer ID or email address", max_length=254,
                               help_text="HP-000123, or the exact email address on file.")
    channel = forms.ChoiceField(label="How the request came in", choices=DSR.Channel.choices)
    kind = forms.ChoiceField(label="Right asked for", choices=DSR.Kind.choices)
    received_at = forms.DateTimeField(
        label="Received at", required=False,
        help_text="Leave empty for now. The due date counts from here.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    notes = forms.CharField(label="Notes", required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            help_text="What the person asked for. Stored encrypted.")


class SendCodeForm(forms.Form):
    via = forms.ChoiceField(label="Send a one-time code to", choices=DSR.CodeVia.choices,
                            initial=DSR.CodeVia.EMAIL)


class CodeForm(forms.Form):
    code = forms.CharField(label="Code the person read out", max_length=8,
                           widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                         "autocomplete": "off"}))


class AttestForm(forms.Form):
    confirmed = forms.BooleanField(
        label="I attest that I checked this person is the subscriber the request concerns.",
        required=True)


def correction_changes(form, corrector: registry.Corrector) -> dict:
    """Return the fields staff changed in a corrector's bound, valid ``form``: only those are
    sent on to its service."""
    return {k: form.cleaned_data[k] for k in form.changed_data if corrects(corrector, k)}


def _use_choices():
    uses = {p for e in registry.entries() for d in e.personal_fields().values()
            for p in d.purposes if not p.startswith("essential")}
    from hostpact.privacy.policy.services import optional_uses

    uses |= {e["use"] for e in optional_uses()}
    uses = sorted(uses)
    uses = uses or ["marketing.communications.email.promotions"]
    return [("", "---------"), *[(u, u) for u in uses]]


class ObjectionForm(forms.Form):
    use = forms.ChoiceField(label="Use of their data the person objects to", choices=_use_choices)
    note = forms.CharField(label="Note", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CompleteForm(forms.Form):
    note = forms.CharField(label="Outcome note", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class DenyForm(forms.Form):
    reason = forms.CharField(label="Reason for denying", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ConfirmForm(forms.Form):
    """A bare confirmation (start, produce the export, run the erasure)."""
