"""The preference centre's forms: one list switched on or off, and the measurement switch."""

from django import forms

from hostpact.marketing import lists


class ListSwitchForm(forms.Form):
    """Join or leave one list that may be left."""

    list_key = forms.CharField(max_length=32)
    subscribed = forms.TypedChoiceField(choices=[("1", "join"), ("0", "leave")],
                                        coerce=lambda v: v == "1")

    def clean_list_key(self):
        key = self.cleaned_data["list_key"]
        try:
            mail_list = lists.get(key)
        except lists.UnknownList:
            raise forms.ValidationError("There is no such list.") from None
        if not mail_list.leavable:
            raise forms.ValidationError(lists.NOT_LEAVABLE_WHY)
        return key


class MeasurementForm(forms.Form):
    """Allow or refuse the measurement of opens and clicks."""

    allowed = forms.TypedChoiceField(choices=[("1", "allow"), ("0", "refuse")],
                                     coerce=lambda v: v == "1")
