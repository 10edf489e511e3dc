"""The security page: password, two-factor with its backup codes, and signed-in sessions."""

import base64

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from hostpact.accounts import forms, services
from hostpact.accounts.models import LoginSession
from hostpact.accounts.views import actor


def _security(request, *, password_form=None, disable_form=None, codes_form=None, status=200):
    user = request.user
    services.prune_login_sessions(user)
    sessions = LoginSession.objects.filter(user_id=user.pk).order_by("-created_at")
    return render(request, "accounts/panel/security.html", {
        "password_form": password_form or forms.PasswordChangeForm(user, prefix="pw"),
        "disable_form": disable_form or forms.DisableTwoFactorForm(user, prefix="off"),
        "codes_form": codes_form or forms.DisableTwoFactorForm(user, prefix="codes"),
        "two_factor": services.has_two_factor(user), "sessions": sessions,
        "current_key": request.session.session_key,
    }, status=status)


@login_required
def security(request):
    return _security(request)


@login_required
@require_POST
def change_password(request):
    form = forms.PasswordChangeForm(request.user, data=request.POST, prefix="pw")
    if not form.is_valid():
        return _security(request, password_form=form, status=400)
    services.set_password(request.user, form.cleaned_data["new_password1"], actor(request),
                          keep_session=request.session.session_key)
    update_session_auth_hash(request, request.user)
    messages.success(request, "Your password is changed; your other sessions were signed out.")
    return redirect("accounts:security")


def _qr_svg(uri: str) -> str:
    import qrcode
    import qrcode.image.svg

    svg = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    text = svg.to_string(encoding="unicode")
    return text[text.find("<svg"):]


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    if services.has_two_factor(request.user) and request.method == "GET":
        messages.info(request, "Two-factor authentication is already on.")
        return redirect("accounts:security")
    device = services.start_totp(request.user)
    form = forms.CodeForm(data=request.POST if request.method == "POST" else None)
    form.fields["code"].help_text = "The 6-digit code your app shows now."
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_totp(request.user, form.cleaned_data["code"])
        if codes is not None:
            from django_otp import login as otp_login

            device.refresh_from_db()
            otp_login(request, device)
            return render(request, "accounts/panel/backup_codes.html", {"codes": codes,
                                                                        "new": True})
        form.add_error("code", "This code is not valid. Check the time on your phone and try "
                               "the code shown now.")
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/panel/two_factor_setup.html", {
        "form": form, "uri": device.config_url, "qr": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - SVG we generated
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def two_factor_disable(request):
    form = forms.DisableTwoFactorForm(request.user, data=request.POST, prefix="off")
    if not form.is_valid():
        return _security(request, disable_form=form, status=400)
    services.disable_two_factor(request.user, actor(request))
    messages.success(request, "Two-factor authentication is off.")
    return redirect("accounts:security")


@login_required
@require_POST
def backup_codes(request):
    form = forms.DisableTwoFactorForm(request.user, data=request.POST, prefix="codes")
    if not services.has_two_factor(request.user):
        return redirect("accounts:security")
    if not form.is_valid():
        return _security(request, codes_form=form, status=400)
    codes = services.regenerate_backup_codes(request.user)
    return render(request, "accounts/panel/backup_codes.html", {"codes": codes, "new": False})


@login_required
@require_POST
def session_sign_out(request, pk):
    row = get_object_or_404(LoginSession, pk=pk, user_id=request.user.pk)
    current = row.session_key == request.session.session_key
    services.end_session(request.user, row, actor(request))
    if current:
        logout(request)
        return redirect("accounts:login")
    messages.success(request, "That session is signed out.")
    return redirect("accounts:security")


@login_required
@require_POST
def sessions_sign_out_others(request):
    count = services.end_other_sessions(request.user, request.session.session_key,
                                        actor(request))
    messages.success(request, f"Signed out {count} other session{'s' if count != 1 else ''}.")
    return redirect("accounts:security")
