"""Forms of the disclosures app: the back office's co-marketing export."""

from django import forms

from hostpact.privacy.disclosures.models import Recipient
from hostpact.privacy.disclosures.services import (
    DEFAULT_COLUMNS,
    billing_columns,
    partner_columns,
)


def _column_choices():
    """The partner columns the data map allows, then the billing sections, which are offered
    only so that a request naming one is refused whole."""
    return [*((c.name, c.label) for c in partner_columns().values()),
            *billing_columns().items()]


class ComarketingExportForm(forms.Form):
    partner = forms.ModelChoiceField(
        queryset=Recipient.objects.filter(kind=Recipient.Kind.CO_MARKETING, active=True),
        to_field_name="slug", empty_label=None, label="Co-marketing partner")
    columns = forms.MultipleChoiceField(
        choices=_column_choices,
        initial=list(DEFAULT_COLUMNS), widget=forms.CheckboxSelectMultiple,
        label="Columns",
        help_text="Only contact data is ever shared with a partner; a request that includes "
                  "any billing column is refused whole.")
    reference = forms.CharField(max_length=120, required=False,
                                label="Campaign reference (no names)")
