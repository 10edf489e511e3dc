"""Forms of the disclosures app: the back office's co-marketing export."""

from django import forms

from hostpact.privacy.disclosures.models import Recipient
from hostpact.privacy.disclosures.services import DEFAULT_COLUMNS, EXPORT_COLUMNS

COLUMN_LABELS = {
    "name": "Name", "email": "Email address", "phone": "Phone number",
    "billing_name": "Billing name", "billing_email": "Billing email",
    "billing_address": "Billing address", "card": "Card (last 4 digits)",
    "invoice_total": "Invoice totals",
}


class ComarketingExportForm(forms.Form):
    partner = forms.ModelChoiceField(
        queryset=Recipient.objects.filter(kind=Recipient.Kind.CO_MARKETING, active=True),
        to_field_name="slug", empty_label=None, label="Co-marketing partner")
    columns = forms.MultipleChoiceField(
        choices=[(c, COLUMN_LABELS.get(c, c)) for c in EXPORT_COLUMNS],
        initial=list(DEFAULT_COLUMNS), widget=forms.CheckboxSelectMultiple,
        label="Columns",
        help_text="Only contact data is ever shared with a partner; a request that includes "
                  "any billing column is refused whole.")
    reference = forms.CharField(max_length=120, required=False,
                                label="Campaign reference (no names)")
