"""Correcting one's own contact data and email address, linked from "My information"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hostpact.accounts import forms, services
from hostpact.accounts.queries import profile_of
from hostpact.accounts.views import actor, message
from hostpact.core import ratelimit
from hostpact.privacy.rights.erasure.views import erasure_started
from hostpact.privacy.rights.guard import SubjectErased


@login_required
@require_http_methods(["GET", "POST"])
def edit_contact(request):
    profile = profile_of(request.user)
    if profile is None:
        return message(request, "No profile", "Staff accounts have no subscriber profile.", 404)
    if request.method == "POST":
        form = forms.ProfileForm(data=request.POST)
        if form.is_valid():
            changes = {k: form.cleaned_data.get(k) or "" for k in services.PROFILE_FIELDS}
            try:
                changed = services.update_profile(request.user, changes, actor(request))
            except services.UnderMinimumAge:
                form.add_error("date_of_birth", forms.MIN_AGE_MESSAGE)
            except SubjectErased:
                return erasure_started(request)
            else:
                messages.success(request, "Your information is updated." if changed
                                 else "Nothing changed.")
                return redirect("panel:information")
    else:
        form = forms.ProfileForm(initial={k: getattr(profile, k) or ""
                                          for k in services.PROFILE_FIELDS})
    return render(request, "accounts/panel/form.html", {
        "form": form, "title": "Correct your contact information", "submit": "Save changes",
        "intro": "Your name, phone number, postal address and date of birth.",
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def edit_email(request):
    form = forms.EmailChangeForm(request.user,
                                 data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if ratelimit.hit("email-change", str(request.user.pk), 3600) > 10:
            form.add_error(None, "Too many changes in an hour; please try again later.")
        else:
            try:
                pending = services.request_email_change(request.user, form.cleaned_data["email"],
                                                        actor(request))
            except services.EmailTaken:
                form.add_error("email", "Another account uses this email address.")
            except SubjectErased:
                return erasure_started(request)
            else:
                messages.success(request, "We sent a link to your new address. Your login email "
                                 "changes when you open it." if pending
                                 else "This is already your email address.")
                return redirect("panel:information")
    return render(request, "accounts/panel/form.html", {
        "form": form, "title": "Change your email address", "submit": "Send confirmation link",
        "intro": f"Your login email is {request.user.email}."
                 + (f" A change to {request.user.pending_email} awaits confirmation."
                    if request.user.pending_email else ""),
    }, status=400 if request.method == "POST" else 200)
