"""Forms of the rights app: confirming one's own erasure, flagging a child's account, holds."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from hostpact.core.customer_ids import pk_from_customer_id
from hostpact.privacy.rights.models import LegalHold


class ConfirmErasureForm(forms.Form):
    """The subscriber types their customer ID and password: no erasure by a stray click."""

    customer_id = forms.CharField(label="Your customer ID", max_length=20,
                                  help_text="Shown at the top of your control panel, "
                                            "for example HP-000123.")
    password = forms.CharField(label="Your password", strip=False, max_length=128,
                               widget=forms.PasswordInput(render_value=False))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_customer_id(self):
        value = self.cleaned_data["customer_id"].strip().upper()
        if value != self.user.customer_id:
            raise ValidationError("This is not your customer ID.")
        return value

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError("The password is not correct.")
        return password


def _subscriber(value: str):
    pk = pk_from_customer_id(value or "")
    user = get_user_model().objects.filter(pk=pk, is_staff=False).first() if pk else None
    if user is None:
        raise ValidationError("No subscriber has this customer ID.")
    return user


class FlagChildForm(forms.Form):
    customer_id = forms.CharField(label="Customer ID of the account", max_length=20)
    note = forms.CharField(label="Reference", max_length=200, required=False,
                           help_text="For example the support request number. Do not write "
                                     "the child's details.")
    confirm = forms.BooleanField(label="I confirm this account is a child's: everything but "
                                       "the invoices the law keeps will be erased now.")

    def clean_customer_id(self):
        return _subscriber(self.cleaned_data["customer_id"])


class LegalHoldForm(forms.Form):
    customer_id = forms.CharField(label="Customer ID (hold the whole account)", max_length=20,
                                  required=False)
    record_model = forms.CharField(label="Or one record: kind (app_label.model)",
                                   max_length=100, required=False,
                                   help_text="For example billing.invoice")
    record_pk = forms.CharField(label="Record number", max_length=64, required=False)
    reason = forms.ChoiceField(label="Reason", choices=LegalHold.Reason.choices)
    reference = forms.CharField(label="Case reference", max_length=100, required=False)
    starts_at = forms.DateTimeField(label="Starts", required=False,
                                    help_text="Empty: now.")
    ends_at = forms.DateTimeField(label="Ends", required=False,
                                  help_text="Empty: until released.")

    def clean(self):
        data = super().clean()
        if data.get("customer_id"):
            try:
                data["user"] = _subscriber(data["customer_id"])
            except ValidationError as exc:
                self.add_error("customer_id", exc)
        elif not data.get("record_model"):
            self.add_error("customer_id", "Name an account or a record to hold.")
        elif not data.get("record_pk"):
            self.add_error("record_pk", "Enter the record number.")
        return data
