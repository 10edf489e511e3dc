"""Forms of the accounts app; the API validates its bodies with these same forms.

``ContactFields`` is also the contact part of the panel's sign-up form, which adds the card.
"""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from hostpact.accounts import validation
from hostpact.core.forms import AddressForm


class ContactFields(AddressForm):
    """Name, phone and postal address (core's), as a subscriber enters and corrects them."""

    name = forms.CharField(label="Full name", max_length=200)
    phone = forms.CharField(label="Phone number", max_length=32,
                            help_text="With country code, for example +91 98765 43210.")
    field_order = ["name", "phone"]  # then the address

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError("Enter your name.")
        return name

    def clean(self):
        data = super().clean()
        country = data.get("country")
        if country and "phone" in data:
            try:
                data["phone"] = validation.clean_phone(data["phone"], country)
            except ValidationError as exc:
                self.add_error("phone", exc)
        return data


MIN_AGE_MESSAGE = ("hostpact does not serve children under 13, so the date of birth cannot be "
                   "set to an age under 13.")


class ProfileForm(ContactFields):
    """What a subscriber corrects in "My information": contact, address and date of birth."""

    date_of_birth = forms.DateField(label="Date of birth",
                                    widget=forms.DateInput(attrs={"type": "date"},
                                                           format="%Y-%m-%d"))

    def clean_date_of_birth(self):
        birth = self.cleaned_data["date_of_birth"]
        validation.check_birth_date(birth)
        if validation.is_under_min_age(birth):
            raise ValidationError(MIN_AGE_MESSAGE, code="under_13")
        return birth


class _UserForm(forms.Form):
    """A form about one user's account (given first, as Django's auth forms do)."""

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


class _CurrentPassword(_UserForm):
    """A form that asks for the current password before a sensitive change."""

    current_password = forms.CharField(label="Current password", strip=False, max_length=128,
                                       widget=forms.PasswordInput(
                                           attrs={"autocomplete": "current-password"}))

    def clean_current_password(self):
        password = self.cleaned_data["current_password"]
        if not self.user.check_password(password):
            raise ValidationError("This is not your current password.")
        return password


class EmailChangeForm(_CurrentPassword):
    email = forms.EmailField(label="New email address", max_length=254,
                             help_text="We send a link to this address; the change takes effect "
                                       "when you open it.")
    field_order = ["email", "current_password"]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class NewPasswordFields(_UserForm):
    new_password1 = forms.CharField(label="New password", strip=False, max_length=128,
                                    widget=forms.PasswordInput(
                                        attrs={"autocomplete": "new-password"}),
                                    help_text="At least 10 characters, not a common password.")
    new_password2 = forms.CharField(label="New password again", strip=False, max_length=128,
                                    widget=forms.PasswordInput(
                                        attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        one, two = data.get("new_password1"), data.get("new_password2")
        if one and two and one != two:
            self.add_error("new_password2", "The two passwords do not match.")
        elif one:
            try:
                password_validation.validate_password(one, self.user)
            except ValidationError as exc:
                self.add_error("new_password1", exc)
        return data


class PasswordChangeForm(NewPasswordFields, _CurrentPassword):
    field_order = ["current_password", "new_password1", "new_password2"]


REMEMBER_UNAVAILABLE = ("Unavailable: remembering you needs functional cookies, which you "
                        "have not allowed.")


class LoginForm(forms.Form):
    """Email or customer ID and password, and "Remember me" where functional cookies may be set.

    ``remembered`` pre-fills the name (and ticks the box) from the cookie; without functional
    consent the box is disabled, so a posted tick is ignored, and its help says why with a link
    to ``settings_url``, the cookie settings.
    """

    username = forms.CharField(label="Email or customer ID", max_length=254,
                               widget=forms.TextInput(attrs={"autocomplete": "username",
                                                             "autofocus": True}))
    password = forms.CharField(label="Password", strip=False, max_length=128,
                               widget=forms.PasswordInput(
                                   attrs={"autocomplete": "current-password"}))
    remember = forms.BooleanField(label="Remember my email address or customer ID on this device",
                                  required=False)

    def __init__(self, *args, remember_allowed: bool = False, remembered: str = "",
                 settings_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if remembered:
            self.initial.setdefault("username", remembered)
            self.initial.setdefault("remember", True)
            # The name is there already: the cursor belongs in the password field.
            self.fields["username"].widget.attrs.pop("autofocus", None)
            self.fields["password"].widget.attrs["autofocus"] = True
        remember = self.fields["remember"]
        if remember_allowed:
            remember.help_text = ("Kept in a functional cookie for a year; never your "
                                  "password. Untick it when you log in to forget it.")
        else:
            remember.disabled = True
            remember.help_text = format_html(
                '{} <a href="{}">Change your cookie settings</a>.', REMEMBER_UNAVAILABLE,
                settings_url)


class CodeForm(forms.Form):
    code = forms.CharField(label="Code", max_length=16,
                           help_text="The 6-digit code from your authenticator app, or one of "
                                     "your backup codes.",
                           # Not inputmode=numeric: backup codes have letters, and a phone
                           # would offer only digits.
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                         "autocapitalize": "characters",
                                                         "autofocus": True}))


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)


class DisableTwoFactorForm(_CurrentPassword):
    pass
