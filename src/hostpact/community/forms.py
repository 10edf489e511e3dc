"""Forms of the community pages and its back office (labelled; errors name their field)."""

from django import forms

from hostpact.community.models import RemovalRequest


class ThreadForm(forms.Form):
    title = forms.CharField(max_length=200, label="Title")
    body = forms.CharField(max_length=20_000, label="Your post (Markdown)",
                           widget=forms.Textarea(attrs={"rows": 8}))


class ReplyForm(forms.Form):
    body = forms.CharField(max_length=20_000, label="Your reply (Markdown)",
                           widget=forms.Textarea(attrs={"rows": 6}))


class TestimonialForm(forms.Form):
    display_name = forms.CharField(
        max_length=80, label="Name shown with it",
        help_text="Your choice: for example \"Asha, Pune\" or your initials.")
    text = forms.CharField(max_length=2000, label="Your testimonial",
                           widget=forms.Textarea(attrs={"rows": 5}))


class RemovalForm(forms.Form):
    email = forms.EmailField(max_length=254, label="Your email address",
                             help_text="We tell you the outcome at this address.")
    url = forms.CharField(max_length=500, label="Address (URL) of the post or testimonial",
                          help_text="Use the post's \"Link\", or the testimonials page "
                                    "address ending in #testimonial-….")
    what = forms.CharField(max_length=5000, label="What personal information to remove",
                           widget=forms.Textarea(attrs={"rows": 5}))


class RecordForm(forms.Form):
    url = forms.CharField(max_length=500, label="Address (URL) of the post or testimonial")
    what = forms.CharField(max_length=5000, label="What the requester wants removed",
                           widget=forms.Textarea(attrs={"rows": 4}))


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label="Decision", choices=[
        ("removed", "Remove it"), ("anonymised", "Anonymise it (keep, edited)"),
        ("refused", "Refuse")])
    body = forms.CharField(required=False, label="The text with the personal information "
                           "taken out (anonymise)", widget=forms.Textarea(attrs={"rows": 8}))
    reason = forms.ChoiceField(required=False, label="Reason for refusing",
                               choices=[("", "—"), *RemovalRequest.Reason.choices])
    reason_text = forms.CharField(required=False, label="Explanation sent to the requester",
                                  widget=forms.Textarea(attrs={"rows": 3}))
