"""The optional form about a subscriber: every question starts at "Prefer not to say" and none
is required. Choices come from ``questions``; ``services.clean_answers`` checks them again."""

from django import forms

from hostpact.audiences import questions

LABELS = {
    "age_band": "Your age band",
    "gender": "Your gender",
    "country": "The country you live in",
    "org_type": "Who you host for",
    "org_size": "How many people your organisation has",
    "channel": "How you would like to hear about things you are interested in",
    "products": "Products you use or plan to use",
    "topics": "Topics you are interested in",
    "other": "Anything else you would like to tell us",
}
HELP = {
    "products": "Tick none, or only the ones you choose.",
    "other": "At most 1000 characters. Please do not write anything you would not want us "
             "to keep.",
}


class AnswersForm(forms.Form):
    """Every question of the demographics form (C04), all optional."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, choices in questions.SINGLE.items():
            self.fields[name] = forms.ChoiceField(
                label=LABELS[name], required=False, initial="", widget=forms.RadioSelect,
                choices=(questions.PREFER_NOT, *choices))
        for name, choices in questions.MULTIPLE.items():
            self.fields[name] = forms.MultipleChoiceField(
                label=LABELS[name], required=False, initial=[""],
                widget=forms.CheckboxSelectMultiple, help_text=HELP.get(name, ""),
                choices=(questions.PREFER_NOT, *choices))
        for name, most in questions.FREE_TEXT.items():
            self.fields[name] = forms.CharField(
                label=LABELS[name], required=False, max_length=most, help_text=HELP[name],
                widget=forms.Textarea(attrs={"rows": 4}))

    def clean(self):
        data = super().clean()
        for name in questions.MULTIPLE:
            values = list(data.get(name) or [])
            if "" in values and len(values) > 1:
                self.add_error(name, f"{LABELS[name]}: choose “Prefer not to say” or some "
                                     f"answers, not both.")
            data[name] = [v for v in values if v]
        return data


def initial_of(answers) -> dict:
    """Return the form's initial values for a stored ``Answers`` row (or None)."""
    if answers is None:
        return {}
    out = {name: getattr(answers, name) or "" for name in (*questions.SINGLE,
                                                          *questions.FREE_TEXT)}
    for name in questions.MULTIPLE:
        out[name] = [v for v in (getattr(answers, name) or "").split(",") if v] or [""]
    return out
